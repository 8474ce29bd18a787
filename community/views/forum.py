"""Reading the forum: the front page, a category's topics and a topic's posts. Only the topic page writes on GET,
and only the reader's own read position (one statement, and only when it moves forward)."""

from __future__ import annotations

import datetime
import functools

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import get_script_prefix, reverse
from django.views import View

from community import permissions
from community.caching import FORUM_CACHE, post_parts_attach
from community.forms import ReplyForm
from community.models import Category, CommunityProfile, Post, ReactionKind, Topic
from community.selectors import members as member_selectors
from community.selectors import reading
from community.selectors import topics as topic_selectors
from community.selectors import watching as watch_selectors
from community.services.reading import read_all_mark, read_state_mark
from portal.cache import cached
from portal.notifications.services import notifications_mark_seen


def _shell(request: HttpRequest) -> dict[str, object]:
    """What every community page needs to know about the reader."""
    return {
        "membership": permissions.membership_state(request.user),
        "profile": permissions.profile_of(request.user),
        "can_moderate": permissions.can_moderate(request.user),
    }


class FrontPageView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        shell = _shell(request)
        categories = [
            category
            for category in topic_selectors.front_page_categories(None)
            if permissions.can_read_category(request.user, category)
        ]
        unread = {}
        profile = shell["profile"]
        if request.user.is_authenticated and isinstance(profile, CommunityProfile):
            unread = reading.unread_topics_by_category(user_id=request.user.pk, since=reading.unread_since(profile))
        rows = [(category, unread.get(category.pk, 0)) for category in categories]
        return render(request, "community/front_page.html", {**shell, "rows": rows, "any_unread": any(unread.values())})


class MarkAllReadView(LoginRequiredMixin, View):
    """POST: nothing so far is new or unread for the member any more."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        profile = permissions.profile_of(request.user)
        if profile is not None:
            read_all_mark(profile=profile)
            messages.success(request, "Everything is marked as read. New topics and replies will show from now.")
        return redirect("community:landing")


def _cursor(value: str | None) -> tuple[datetime.datetime, int] | None:
    """`?before=<microseconds since the epoch>-<topic id>`: the keyset of the last topic on the page before."""
    if not value:
        return None
    try:
        stamp, pk = value.split("-", 1)
        when = datetime.datetime.fromtimestamp(int(stamp) / 1_000_000, tz=datetime.UTC)
        return when, int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def cursor_for(topic: Topic) -> str:
    stamp = int(topic.last_activity_at.timestamp() * 1_000_000)
    return f"{stamp}-{topic.pk}"


class CategoryDetailView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        category = permissions.category_get_for_user(slug=slug, user=request.user)
        shell = _shell(request)
        before = _cursor(request.GET.get("before"))
        moderator = bool(shell["can_moderate"])
        pinned, topics = _category_page(category, before=before, include_hidden=moderator)
        more = len(topics) > topic_selectors.TOPICS_PER_PAGE
        topics = topics[: topic_selectors.TOPICS_PER_PAGE]
        listed = pinned + topics
        read: dict[int, int] = {}
        muted: set[int] = set()
        show_muted = request.GET.get("muted") == "show"
        if request.user.is_authenticated:
            # Topics the member muted leave their list (the page is shared, so they are taken out here, after the
            # cache; the next page still starts after the last topic of this one, muted or not).
            muted = watch_selectors.muted_topic_ids(user_id=request.user.pk, topic_ids=[t.pk for t in listed])
            if not show_muted:
                listed = [topic for topic in listed if topic.pk not in muted]
            read = reading.last_read_numbers(user_id=request.user.pk, topic_ids=[t.pk for t in listed])
        profile = shell["profile"]
        since = reading.unread_since(profile if isinstance(profile, CommunityProfile) else None)
        rows = [_topic_row(topic, read, since=since, muted=topic.pk in muted) for topic in listed]
        context = {
            **shell,
            "category": category,
            "rows": rows,
            "muted_count": len(muted),
            "show_muted": show_muted,
            "first_page": before is None,
            "next_cursor": cursor_for(topics[-1]) if more else None,
            "can_start_topic": permissions.can_start_topic(request.user, category),
        }
        return render(request, "community/category_detail.html", context)


def _category_page(
    category: Category, *, before: tuple[datetime.datetime, int] | None, include_hidden: bool
) -> tuple[list[Topic], list[Topic]]:
    """The pinned topics (first page only) and a page of the rest, cached under the forum version (bumped by every
    change to a topic, post or profile they show), so members reading a busy category share one build of it."""

    def build() -> tuple[list[Topic], list[Topic]]:
        pinned = [] if before else topic_selectors.pinned_topics(category, include_hidden=include_hidden)
        return pinned, topic_selectors.category_topics(category, before=before, include_hidden=include_hidden)

    where = f"{int(before[0].timestamp() * 1_000_000)}-{before[1]}" if before else "first"
    return cached(FORUM_CACHE, f"category-topics:{category.pk}:{where}:{int(include_hidden)}", build)


def _topic_row(
    topic: Topic, read: dict[int, int], *, since: datetime.datetime, muted: bool = False
) -> dict[str, object]:
    """A topic in a list: "new" when the reader never opened it, else how many posts came since they last did; a
    topic quiet since they marked all as read (or joined) is neither."""
    seen = read.get(topic.pk)
    active = topic.last_activity_at > since
    return {
        "topic": topic,
        "new": active and seen is None,
        "new_posts": max(0, topic.last_post_number - seen) if active and seen is not None else 0,
        "first_unread": (seen or 0) + 1,
        "pages": topic_selectors.page_count(topic),
        "muted": muted,
    }


class TopicDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        topic = permissions.topic_get_for_user(pk=pk, user=request.user)
        if topic.merged_into_id:
            return redirect("community:topic-detail", pk=topic.merged_into_id)
        user = request.user
        user_id: int | None = user.pk if user.is_authenticated else None
        last_read = reading.last_read(user_id=user_id, topic_id=topic.pk) if user_id is not None else None
        pages = topic_selectors.page_count(topic)
        raw_page = request.GET.get("page")
        if raw_page is None and last_read:
            # Open where the reader left off: the first post they have not seen, or the last one if none is new.
            target = min(last_read + 1, topic.last_post_number)
            page = topic_selectors.page_of_number(target)
            if page > 1 or target > 1:
                return redirect(f"{reverse('community:topic-detail', args=[topic.pk])}?page={page}#post-{target}")
        try:
            page = min(max(int(raw_page or 1), 1), pages)
        except ValueError:
            page = 1
        shell = _shell(request)
        moderator = bool(shell["can_moderate"])
        posts = topic_selectors.topic_posts(topic, page=page, author_id=user_id, include_held=moderator)
        blocks: dict[int, str] = {}
        mine: set[tuple[int, str]] = set()
        if user_id is not None:
            # Their notifications about this topic are read, and a reply email held back is not sent (no query
            # when nothing is unread: the header's cached count answers).
            notifications_mark_seen(user=user, subject_object=topic)
            blocks = member_selectors.blocks_by(user_id)
            mine = topic_selectors.reactions_by(user_id=user_id, post_ids=[p.pk for p in posts])
            seen_to = max((p.number for p in posts), default=0)
            if seen_to > (last_read or 0):
                read_state_mark(member_id=user_id, topic_id=topic.pk, number=seen_to)
        profile = shell["profile"]
        reveal = bool(profile is not None and getattr(profile, "always_reveal_content_notes", False))
        rows = [
            _post_row(request, post, topic=topic, blocks=blocks, mine=mine, reveal=reveal, moderator=moderator)
            for post in posts
        ]
        post_parts_attach(rows)
        can_reply = permissions.can_reply(user, topic)
        context = {
            **shell,
            "topic": topic,
            "category": topic.category,
            "rows": rows,
            "page": page,
            "pages": pages,
            "page_numbers": _page_numbers(page, pages),
            "can_reply": can_reply,
            "form": ReplyForm() if can_reply and page == pages else None,
            "can_accept": permissions.can_accept_answer(user, topic),
            "reaction_kinds": ReactionKind.choices,
            "first_unread": (last_read or 0) + 1 if last_read is not None else None,
        }
        return render(request, "community/topic_detail.html", context)


def _page_numbers(page: int, pages: int) -> list[int]:
    """The page links to show: the first, the last and two either side of this one."""
    return [n for n in range(1, pages + 1) if n in (1, pages) or abs(n - page) <= 2]


@functools.cache
def _url_pattern(name: str, script_prefix: str) -> str:
    """The path of a URL with one number in it, reversed once per process, with "{}" where the number goes."""
    return reverse(name, args=[0]).replace("/0/", "/{}/", 1)


def _url(name: str, pk: int) -> str:
    """reverse(name, args=[pk]) for these one-number URLs, by string formatting: a topic page needs a hundred."""
    return _url_pattern(name, get_script_prefix()).format(pk)


def _post_urls(post: Post, topic: Topic) -> dict[str, str]:
    return {
        "react": _url("community:post-react", post.pk),
        "edit": _url("community:post-edit", post.pk),
        "delete": _url("community:post-delete", post.pk),
        "flag": _url("community:post-flag", post.pk),
        "moderate": _url("community:moderation-post", post.pk),
        "reply": _url("community:topic-reply", topic.pk),
        "accept": _url("community:topic-accept", topic.pk),
    }


def _post_row(
    request: HttpRequest,
    post: Post,
    *,
    topic: Topic,
    blocks: dict[int, str],
    mine: set[tuple[int, str]],
    reveal: bool,
    moderator: bool,
) -> dict[str, object]:
    user = request.user
    shows_body = permissions.can_see_post_body(user, post)
    return {
        "post": post,
        "shows_body": shows_body,
        "collapsed": bool(post.author_id and post.author_id in blocks),
        "reveal": reveal or not post.content_note,
        "accepted": topic.accepted_post_id == post.pk,
        "reactions": [
            (kind, label, getattr(post, f"{kind}_count"), (post.pk, kind) in mine)
            for kind, label in ReactionKind.choices
        ],
        "can_react": shows_body and permissions.can_react(user, post),
        "can_edit": permissions.can_edit_post(user, post),
        "can_delete": permissions.can_delete_post(user, post),
        "can_quote": shows_body and post.is_visible and permissions.can_reply(user, topic),
        "can_accept": post.number > 1 and post.is_visible and permissions.can_accept_answer(user, topic),
        "moderator": moderator,
        "can_flag": shows_body and permissions.can_flag(user, post),
        "urls": _post_urls(post, topic),
    }
