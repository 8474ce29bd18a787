"""Watching, tracking or muting a topic or a category: small forms on their pages that post here (no JavaScript)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.views import View

from community import permissions
from community.forms import WatchForm
from community.models import Category, Topic, WatchLevel
from community.services.watching import watch_set
from portal.http import AuthenticatedHttpRequest

_SAID = {
    WatchLevel.WATCHING: "You are watching {name}. You will hear about every new reply, the way you chose in your "
    "notification settings.",
    WatchLevel.TRACKING: "You are tracking {name}. You will see how many replies are new, with no notifications.",
    WatchLevel.MUTED: "You have muted {name}. You will not hear about it.",
    "": "{name} is back to normal notifications.",
}


def _save(
    request: AuthenticatedHttpRequest, *, name: str, topic: Topic | None = None, category: Category | None = None
) -> None:
    form = WatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the options, then press the button again. Nothing was changed.")
        return
    level = form.cleaned_data["level"]
    watch_set(member=request.user, level=level, topic=topic, category=category)
    messages.success(request, _SAID[level].format(name=f"“{name}”"))


class TopicWatchView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        topic = permissions.topic_get_for_user(pk=pk, user=request.user)
        if not permissions.can_watch(request.user):
            return HttpResponseForbidden("Only community members can choose notifications.")
        _save(request, name=topic.title, topic=topic)
        return redirect(topic.get_absolute_url() + "#notifications")


class CategoryWatchView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
        category = permissions.category_get_for_user(slug=slug, user=request.user)
        if not permissions.can_watch(request.user):
            return HttpResponseForbidden("Only community members can choose notifications.")
        _save(request, name=category.name, category=category)
        return redirect(category.get_absolute_url() + "#notifications")
