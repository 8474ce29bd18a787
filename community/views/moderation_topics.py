"""Moderators' topic tools: lock or unlock, pin or unpin, hide or show again, move, merge, and split replies off into
a new topic. Each POST goes through community.services.restructure, which records it in the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from community import permissions
from community.models import Topic
from community.moderation_forms import MergeForm, MoveForm, SplitForm, TopicHideForm, TopicStateForm
from community.selectors import topics as topic_selectors
from community.services import restructure
from community.services.moderation import NotAllowedNow
from community.views.forum import _shell
from community.views.moderation import ModeratorPage
from portal.http import AuthenticatedHttpRequest

STATE_DONE = {
    "lock": "The topic is locked: members can read it but not reply.",
    "unlock": "The topic is open for replies again.",
    "pin": "The topic is pinned to the top of its category.",
    "unpin": "The topic is no longer pinned.",
    "show": "The topic is showing again, and its author has been told.",
}


class ModerationTopicView(ModeratorPage, View):
    """GET shows the tools; POST with form=state, move or merge does one of them."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        topic = permissions.moderated_topic_get_for_user(pk=pk, user=request.user)
        return self._render(request, topic, {})

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        topic = permissions.moderated_topic_get_for_user(pk=pk, user=request.user)
        which = request.POST.get("form", "")
        moderator = request.user
        if which == "state":
            state = TopicStateForm(request.POST, auto_id="state_%s")
            if not state.is_valid():
                return self._render(request, topic, {"state": state}, status=400)
            action, reason = state.cleaned_data["action"], state.cleaned_data["reason"]
            if action == "show":
                try:
                    restructure.topic_restore(topic=topic, moderator=moderator, reason=reason)
                except NotAllowedNow as problem:
                    state.add_error(None, str(problem))
                    return self._render(request, topic, {"state": state}, status=409)
            elif action in ("lock", "unlock"):
                restructure.topic_set_locked(topic=topic, moderator=moderator, locked=action == "lock", reason=reason)
            else:
                restructure.topic_set_pinned(topic=topic, moderator=moderator, pinned=action == "pin", reason=reason)
            messages.success(request, STATE_DONE[action])
            return redirect("community:moderation-topic", pk=topic.pk)
        if which == "hide":
            hide = TopicHideForm(request.POST, auto_id="hide_%s")
            if not hide.is_valid():
                return self._render(request, topic, {"hide": hide}, status=400)
            try:
                restructure.topic_hide(topic=topic, moderator=moderator, reason=hide.cleaned_data["reason"])
            except NotAllowedNow as problem:
                hide.add_error(None, str(problem))
                return self._render(request, topic, {"hide": hide}, status=409)
            messages.success(request, "The topic is hidden from members. Its author has been told why.")
            return redirect("community:moderation-topic", pk=topic.pk)
        if which == "move":
            move = MoveForm(request.POST, exclude_pk=topic.category_id, auto_id="move_%s")
            if not move.is_valid():
                return self._render(request, topic, {"move": move}, status=400)
            category = move.cleaned_data["category"]
            restructure.topic_move(
                topic=topic, category=category, moderator=moderator, reason=move.cleaned_data["reason"]
            )
            messages.success(request, f"The topic is moved to {category.name}.")
            return redirect("community:moderation-topic", pk=topic.pk)
        if which == "merge":
            merge = MergeForm(request.POST, auto_id="merge_%s")
            if not merge.is_valid():
                return self._render(request, topic, {"merge": merge}, status=400)
            target = topic_selectors.topic_by_pk(merge.cleaned_data["target"])
            if target is None or target.merged_into_id:
                merge.add_error("target", "There is no topic with that number to merge into. Check the number.")
                return self._render(request, topic, {"merge": merge}, status=400)
            try:
                restructure.topic_merge(
                    source=topic, target=target, moderator=moderator, reason=merge.cleaned_data["reason"]
                )
            except NotAllowedNow as problem:
                merge.add_error("target", str(problem))
                return self._render(request, topic, {"merge": merge}, status=400)
            messages.success(request, f"The posts are moved to the end of {target.title}.")
            return redirect("community:moderation-topic", pk=target.pk)
        return self._render(request, topic, {}, status=400)

    def _render(self, request: HttpRequest, topic: Topic, bound: dict[str, Any], status: int = 200) -> HttpResponse:
        state = bound.get("state")
        forms = {
            "state_form": state or TopicStateForm(auto_id="state_%s"),
            "move_form": bound.get("move") or MoveForm(exclude_pk=topic.category_id, auto_id="move_%s"),
            "merge_form": bound.get("merge") or MergeForm(auto_id="merge_%s"),
            "hide_form": bound.get("hide") or TopicHideForm(auto_id="hide_%s"),
        }
        # Four forms on one page: each renders its own errors, and each has its own ids (auto_id) so labels and
        # error links point at the right field.
        context = {**_shell(request), "topic": topic, "category": topic.category, **forms}
        return render(request, "community/moderation/topic_tools.html", context, status=status)


class ModerationTopicSplitView(ModeratorPage, View):
    """Tick replies on one page of the topic (?page=n) and move them to a new topic."""

    def get(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        topic = permissions.moderated_topic_get_for_user(pk=pk, user=request.user)
        page = self._page(request, topic)
        replies = self._replies(topic, page)
        form = SplitForm(replies=replies, initial={"category": topic.category_id})
        return self._render(request, topic, form, replies, page)

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        topic = permissions.moderated_topic_get_for_user(pk=pk, user=request.user)
        page = self._page(request, topic)
        replies = self._replies(topic, page)
        form = SplitForm(request.POST, replies=replies)
        if not form.is_valid():
            return self._render(request, topic, form, replies, page, status=400)
        data = form.cleaned_data
        try:
            new = restructure.topic_split(
                topic=topic,
                post_ids=data["posts"],
                title=data["title"],
                category=data["category"],
                moderator=request.user,
                reason=data["reason"],
            )
        except NotAllowedNow as problem:
            form.add_error("posts", str(problem))
            return self._render(request, topic, form, replies, page, status=400)
        messages.success(request, f"The replies are moved to a new topic, {new.title}.")
        return redirect(new)

    def _page(self, request: HttpRequest, topic: Topic) -> int:
        raw = request.GET.get("page") or request.POST.get("page") or "1"
        pages = topic_selectors.page_count(topic)
        return min(max(int(raw), 1), pages) if raw.isdigit() else 1

    def _replies(self, topic: Topic, page: int) -> list[Any]:
        posts = topic_selectors.topic_posts(topic, page=page, author_id=None, include_held=True)
        return [post for post in posts if post.number > 1]

    def _render(
        self, request: HttpRequest, topic: Topic, form: SplitForm, replies: list[Any], page: int, status: int = 200
    ) -> HttpResponse:
        pages = topic_selectors.page_count(topic)
        context = {
            **_shell(request),
            "topic": topic,
            "category": topic.category,
            "form": form,
            "replies": replies,
            "page": page,
            "pages": pages,
            "chosen": set(request.POST.getlist("posts")) if form.is_bound else set(),
        }
        return render(request, "community/moderation/topic_split.html", context, status=status)
