"""The moderators' pages: the flag queue, posts and members waiting, one post (its flags, its history and what to
do), a moderator's edit, one member (approve, suspend, lift) and the audit log. Moderators only, with two-step
verification (the audit log also for IS admins); topic-wide actions are in community.views.moderation_topics."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from community import permissions
from community.display import member_name, profile_or_none
from community.models import CommunityProfile, Post
from community.moderation_forms import (
    LiftForm,
    LogFilterForm,
    MemberDecisionForm,
    ModeratorEditForm,
    PostDecisionForm,
    SettingsForm,
    SuspendForm,
)
from community.selectors import moderation as selectors
from community.selectors.members import community_settings
from community.services import moderation
from community.views.forum import _cursor, _shell
from community.views.posting import post_url
from portal.http import AuthenticatedHttpRequest
from portal.permissions import StaffPageMixin


class ModeratorPage(StaffPageMixin):
    staff_groups = permissions.MODERATORS
    staff_why = permissions.MODERATOR_SECOND_FACTOR_MESSAGE


def _keyset(value: str | None) -> tuple[datetime.datetime, int] | None:
    return _cursor(value)


def _stamp(when: datetime.datetime, pk: int) -> str:
    return f"{int(when.timestamp() * 1_000_000)}-{pk}"


def _context(request: HttpRequest, tab: str, **extra: Any) -> dict[str, Any]:
    return {**_shell(request), "tab": tab, "counts": selectors.queue_counts(), **extra}


class ModerationQueueView(ModeratorPage, View):
    """Flagged posts, most serious first ("needs support" and "harmful"), then the longest waiting."""

    def get(self, request: HttpRequest) -> HttpResponse:
        after = selectors.parse_queue_cursor(request.GET.get("after"))
        items = selectors.flag_queue(after=after)
        more = len(items) > selectors.QUEUE_PAGE_SIZE
        items = items[: selectors.QUEUE_PAGE_SIZE]
        context = _context(
            request,
            "flags",
            items=items,
            first_page=after is None,
            next_cursor=items[-1].cursor if more else None,
        )
        return render(request, "community/moderation/queue.html", context)


class ModerationWaitingView(ModeratorPage, View):
    """Posts held for approval (oldest first) and members waiting for approval."""

    def get(self, request: HttpRequest) -> HttpResponse:
        after = _keyset(request.GET.get("after"))
        posts = selectors.held_posts(after=after)
        more = len(posts) > selectors.QUEUE_PAGE_SIZE
        posts = posts[: selectors.QUEUE_PAGE_SIZE]
        members = selectors.pending_members()
        context = _context(
            request,
            "waiting",
            posts=posts,
            first_page=after is None,
            next_cursor=_stamp(posts[-1].created_at, posts[-1].pk) if more else None,
            members=members[: selectors.MEMBERS_PAGE_SIZE],
            more_members=len(members) > selectors.MEMBERS_PAGE_SIZE,
        )
        return render(request, "community/moderation/waiting.html", context)


class ModerationSuspendedView(ModeratorPage, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        members = selectors.suspended_members()
        context = _context(
            request,
            "suspended",
            members=members[: selectors.MEMBERS_PAGE_SIZE],
            more_members=len(members) > selectors.MEMBERS_PAGE_SIZE,
        )
        return render(request, "community/moderation/suspended.html", context)


class ModerationPostView(ModeratorPage, View):
    """One post for a moderator: where it is, what it says (held, hidden and all), its flags, its earlier versions,
    and the decision form."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = permissions.moderated_post_get_for_user(pk=pk, user=request.user)
        return self._render(request, post, PostDecisionForm(post=post))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = permissions.moderated_post_get_for_user(pk=pk, user=request.user)
        form = PostDecisionForm(request.POST, post=post)
        if not form.is_valid():
            return self._render(request, post, form, status=400)
        action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        moderator = request.user
        try:
            if action == "hide":
                moderation.post_hide(post=post, moderator=moderator, reason=reason)
                done = "The post is hidden. Its author can still see it, with your reason."
            elif action == "restore":
                moderation.post_restore(post=post, moderator=moderator, reason=reason)
                done = "The post is showing again."
            elif action == "approve":
                moderation.post_approve(post=post, moderator=moderator)
                done = "The post is approved and everyone can read it."
            elif action == "reject":
                moderation.post_reject(post=post, moderator=moderator, reason=reason)
                done = "The post is not approved. Its author can still see it, with your reason."
            else:
                moderation.flags_dismiss(post=post, moderator=moderator, reason=reason)
                done = "The flags are closed and the post stays as it is."
        except moderation.NotAllowedNow:
            form.add_error(None, "Someone has already changed this post. Look at it again and choose what to do.")
            return self._render(request, permissions.moderated_post_get_for_user(pk=pk, user=moderator), form, 409)
        messages.success(request, done)
        return redirect("community:moderation-post", pk=post.pk)

    def _render(self, request: HttpRequest, post: Post, form: PostDecisionForm, status: int = 200) -> HttpResponse:
        context = {
            **_shell(request),
            "post": post,
            "topic": post.topic,
            "form": form,
            "flags": selectors.post_flags(post),
            "history": selectors.post_history(post),
            "in_topic": post_url(post),
            "author_profile": profile_or_none(post.author),
        }
        return render(request, "community/moderation/post_detail.html", context, status=status)


class ModerationPostEditView(ModeratorPage, View):
    """A moderator edits a post with a reason: the earlier text is kept in its history and the author is told."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = permissions.moderated_post_get_for_user(pk=pk, user=request.user)
        if post.is_deleted:
            return redirect("community:moderation-post", pk=post.pk)
        initial = {"body": post.body_markdown, "content_note": post.content_note, "title": post.topic.title}
        return self._render(request, post, ModeratorEditForm(initial=initial, with_title=post.number == 1))

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        post = permissions.moderated_post_get_for_user(pk=pk, user=request.user)
        if post.is_deleted:
            return redirect("community:moderation-post", pk=post.pk)
        form = ModeratorEditForm(request.POST, with_title=post.number == 1)
        if not form.is_valid():
            return self._render(request, post, form, status=400)
        data = form.cleaned_data
        moderation.post_moderator_edit(
            post=post,
            moderator=request.user,
            body=data["body"],
            content_note=data["content_note"],
            title=data.get("title"),
            reason=data["reason"],
        )
        messages.success(request, "Your changes are saved. The earlier text is kept in the post's history.")
        return redirect("community:moderation-post", pk=post.pk)

    def _render(self, request: HttpRequest, post: Post, form: ModeratorEditForm, status: int = 200) -> HttpResponse:
        context = {**_shell(request), "post": post, "topic": post.topic, "form": form}
        return render(request, "community/moderation/post_edit.html", context, status=status)


class ModerationMemberView(ModeratorPage, View):
    """One member for a moderator: their state, and approve or decline (waiting), suspend or lift (members)."""

    FORMS = {"decide": MemberDecisionForm, "suspend": SuspendForm, "lift": LiftForm}

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        profile = permissions.moderated_member_get_for_user(pk=pk, user=request.user)
        return self._render(request, profile, None, None)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        profile = permissions.moderated_member_get_for_user(pk=pk, user=request.user)
        which = request.POST.get("form", "")
        form_class = self.FORMS.get(which)
        if form_class is None:
            return self._render(request, profile, None, None, status=400)
        form = form_class(request.POST)
        if not form.is_valid():
            return self._render(request, profile, which, form, status=400)
        name = profile.display_name
        try:
            if isinstance(form, MemberDecisionForm):
                if form.cleaned_data["decision"] == "approve":
                    moderation.member_approve(profile=profile, moderator=request.user)
                    messages.success(request, f"{name} is approved and has been told.")
                else:
                    moderation.member_decline(
                        profile=profile, moderator=request.user, reason=form.cleaned_data["reason"]
                    )
                    messages.success(request, f"{name} is not approved and has been told why.")
                    return redirect("community:moderation-waiting")
            elif isinstance(form, SuspendForm):
                moderation.member_suspend(
                    profile=profile, moderator=request.user, until=form.until(), reason=form.cleaned_data["reason"]
                )
                messages.success(request, f"{name}'s membership is paused. They have been told why and until when.")
            else:
                moderation.member_unsuspend(profile=profile, moderator=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, f"{name} can take part again and has been told.")
        except moderation.NotAllowedNow:
            form.add_error(None, "This member's state has changed since the page was opened. Look again.")
            return self._render(request, profile, which, form, status=409)
        return redirect("community:moderation-member", pk=profile.pk)

    def _render(
        self,
        request: HttpRequest,
        profile: CommunityProfile,
        which: str | None,
        form: Any,
        status: int = 200,
    ) -> HttpResponse:
        forms = {name: (form if name == which else cls()) for name, cls in self.FORMS.items()}
        context = {
            **_shell(request),
            "member": profile,
            "member_state": _member_state(profile),
            "decide_form": forms["decide"],
            "suspend_form": forms["suspend"],
            "lift_form": forms["lift"],
            "form": form,
        }
        return render(request, "community/moderation/member_detail.html", context, status=status)


def _member_state(profile: CommunityProfile) -> str:
    if profile.status == CommunityProfile.Status.PENDING:
        return "joining" if profile.guidelines_version_id is None else "pending"
    if permissions.is_suspended(profile):
        return "suspended"
    return "member"


class ModerationLogView(StaffPageMixin, View):
    """Every moderator action, newest first, filtered by action and moderator, a page at a time."""

    staff_groups = permissions.AUDIT_LOG_READERS
    staff_why = permissions.MODERATOR_SECOND_FACTOR_MESSAGE

    def get(self, request: HttpRequest) -> HttpResponse:
        people = selectors.log_moderators()
        form = LogFilterForm(request.GET or None, moderators=[(p.pk, member_name(p)) for p in people])
        filters = selectors.LogFilters()
        if form.is_bound and form.is_valid():
            filters = selectors.LogFilters(
                action=form.cleaned_data["action"] or "", moderator_id=form.cleaned_data["moderator"]
            )
        before = _keyset(request.GET.get("before"))
        entries = selectors.audit_log(filters, before=before)
        more = len(entries) > selectors.LOG_PAGE_SIZE
        entries = entries[: selectors.LOG_PAGE_SIZE]
        query = {"action": filters.action, "moderator": filters.moderator_id or ""}
        next_url = ""
        if more:
            last = entries[-1]
            params = "&".join(f"{key}={value}" for key, value in query.items() if value)
            next_url = f"{reverse('community:moderation-log')}?{params}{'&' if params else ''}before="
            next_url += _stamp(last.created_at, last.pk)
        rows = [(entry, selectors.action_label(entry)) for entry in entries]
        context = {
            **_shell(request),
            "filter_form": form,
            "rows": rows,
            "first_page": before is None,
            "next_url": next_url,
            "filtered": bool(filters.action or filters.moderator_id),
        }
        return render(request, "community/moderation/log.html", context)


class ModerationSettingsView(ModeratorPage, View):
    """The moderators' switches: approving new members, holding first posts, auto-hide after flags."""

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return self._render(request, SettingsForm(instance=community_settings()))

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = SettingsForm(request.POST, instance=community_settings())
        if not form.is_valid():
            return self._render(request, form, status=400)
        values = {name: form.cleaned_data[name] for name in moderation.SETTINGS_FIELDS}
        moderation.settings_change(moderator=request.user, reason=form.cleaned_data["reason"], **values)
        messages.success(request, "The settings are saved, and the change is in the audit log.")
        return redirect("community:moderation-settings")

    def _render(self, request: HttpRequest, form: SettingsForm, status: int = 200) -> HttpResponse:
        context = _context(request, "settings", form=form)
        return render(request, "community/moderation/settings.html", context, status=status)
