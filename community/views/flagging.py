"""Flagging a post for the moderators: a short form, then a thank-you that says what happens next. A "needs
support" flag also shows the flagger where support is, straight away."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View

from community import permissions
from community.models import Flag, Post
from community.moderation_forms import FlagForm
from community.services import flags
from community.views.forum import _shell
from community.views.posting import _not_a_member, post_url
from portal.http import AuthenticatedHttpRequest
from portal.ratelimits import is_limited, rate_limit

RATE_LIMITED_MESSAGE = (
    "You have flagged several posts in a short time, so this one was not sent yet. Nothing is lost: your note is "
    "below. Please try again in a little while. If someone is in danger now, see the support page."
)


@method_decorator(rate_limit(group="community:post-flag", rate="20/h", block=False), name="post")
class PostFlagView(LoginRequiredMixin, View):
    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = permissions.post_get_for_user(pk=pk, user=request.user)
        if not permissions.can_flag(request.user, post):
            return _not_a_member(request) if not permissions.is_member(request.user) else self._cannot(request, post)
        return self._render(request, post, FlagForm())

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = permissions.post_get_for_user(pk=pk, user=request.user)
        if not permissions.can_flag(request.user, post):
            return _not_a_member(request) if not permissions.is_member(request.user) else self._cannot(request, post)
        form = FlagForm(request.POST)
        if not form.is_valid():
            return self._render(request, post, form, status=400)
        if is_limited(request):
            form.add_error(None, RATE_LIMITED_MESSAGE)
            return self._render(request, post, form, status=429)
        reason = form.cleaned_data["reason"]
        try:
            flags.flag_create(post=post, member=request.user, reason=reason, note=form.cleaned_data["note"])
        except flags.AlreadyFlagged:
            return self._done(request, post, already=True, reason=reason)
        return self._done(request, post, already=False, reason=reason)

    def _render(self, request: HttpRequest, post: Post, form: FlagForm, status: int = 200) -> HttpResponse:
        context = {**_shell(request), "post": post, "topic": post.topic, "form": form}
        return render(request, "community/moderation/post_flag.html", context, status=status)

    def _done(self, request: HttpRequest, post: Post, *, already: bool, reason: str) -> HttpResponse:
        context = {
            **_shell(request),
            "post": post,
            "topic": post.topic,
            "already": already,
            "needs_support": reason == Flag.Reason.NEEDS_SUPPORT,
            "back": post_url(post),
        }
        return render(request, "community/moderation/post_flag_done.html", context)

    def _cannot(self, request: HttpRequest, post: Post) -> HttpResponse:
        context = {**_shell(request), "post": post, "topic": post.topic, "back": post_url(post)}
        return render(request, "community/moderation/post_flag_cannot.html", context, status=403)
