"""Categories, topic lists and posts.

Topic lists page with a keyset on the stored (last_activity_at, id), matched by the index community_topic_list_idx,
so a page costs the same at the first topic and the hundred-thousandth, and nothing counts a category's rows.
A topic's pages are ranges of post numbers: page n holds numbers ((n-1)*POSTS_PER_PAGE, n*POSTS_PER_PAGE], found
by the unique (topic, number) index, so the last page of a 2,000-post topic costs what the first does.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import DateTimeField, F, Func, Prefetch, Q, QuerySet, Value
from django.db.models.lookups import LessThan

from community.models import Attachment, Category, Group, Post, Reaction, Topic

TOPICS_PER_PAGE = 30
POSTS_PER_PAGE = 20
# What a topic list shows of each row's author and last poster.
_TOPIC_ROW_RELATED = ("author__community_profile", "last_post__author__community_profile")


def readable_category_ids(group_ids: Iterable[int]) -> list[int]:
    """Categories outside groups, in open or by-request groups, and in the private groups listed."""
    return list(
        Category.objects.filter(
            Q(group__isnull=True) | ~Q(group__kind=Group.Kind.PRIVATE) | Q(group_id__in=list(group_ids))
        ).values_list("pk", flat=True)
    )


def front_page_categories(readable: list[int] | None) -> list[Category]:
    """The categories in order with their stored counts and latest topic: one query, whatever their number."""
    categories = Category.objects.select_related("group", "last_topic")
    if readable is not None:
        categories = categories.filter(pk__in=readable)
    return list(categories.order_by("order", "name"))


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.select_related("group").filter(slug=slug).first()


def _listed(topics: QuerySet[Topic], *, include_hidden: bool) -> QuerySet[Topic]:
    topics = topics.select_related(*_TOPIC_ROW_RELATED)
    return topics if include_hidden else topics.filter(hidden=False)


def pinned_topics(category: Category, *, include_hidden: bool = False) -> list[Topic]:
    """Pinned topics, shown above the first page. Moderators pin a handful, so this is bounded in practice."""
    topics = _listed(Topic.objects.filter(category=category, pinned=True), include_hidden=include_hidden)
    return list(topics.order_by("-last_activity_at", "-id")[:TOPICS_PER_PAGE])


def category_topics(
    category: Category,
    *,
    before: tuple[datetime.datetime, int] | None = None,
    include_hidden: bool = False,
    limit: int = TOPICS_PER_PAGE,
) -> list[Topic]:
    """The unpinned topics, most recently active first, starting after the keyset `before` (last activity, id).
    Returns up to limit + 1 rows: the extra one only says there is a next page."""
    topics = _listed(Topic.objects.filter(category=category, pinned=False), include_hidden=include_hidden)
    if before is not None:
        when, pk = before
        # A row comparison, (last_activity_at, id) < (when, pk), not an OR of two conditions: PostgreSQL uses it as
        # an index condition on community_topic_list_idx (0.2 ms at 100,000 topics), where the OR made it read and
        # sort the whole category (36 ms). SQLite understands row values too.
        row = Func(F("last_activity_at"), F("id"), template="(%(expressions)s)", output_field=DateTimeField())
        since = Func(
            Value(when, DateTimeField()), Value(pk), template="(%(expressions)s)", output_field=DateTimeField()
        )
        topics = topics.filter(LessThan(row, since))
    return list(topics.order_by("-pinned", "-last_activity_at", "-id")[: limit + 1])


def topic_by_pk(pk: int) -> Topic | None:
    return (
        Topic.objects.select_related("category__group", "author__community_profile", "accepted_post")
        .filter(pk=pk)
        .first()
    )


def post_by_pk(pk: int) -> Post | None:
    return (
        Post.objects.select_related("topic__category__group", "author__community_profile", "topic__author")
        .filter(pk=pk)
        .first()
    )


def attachment_by_pk(pk: int) -> Attachment | None:
    return Attachment.objects.select_related("post__topic__category__group").filter(pk=pk).first()


def page_count(topic: Topic) -> int:
    return max(1, -(-topic.last_post_number // POSTS_PER_PAGE))


def page_of_number(number: int) -> int:
    return max(1, -(-number // POSTS_PER_PAGE))


def topic_posts(topic: Topic, *, page: int, author_id: int | None, include_held: bool) -> list[Post]:
    """The posts numbered on `page`, with their authors' profiles, the post each quotes and their attachments.
    Held posts are left out for everyone but their author and the moderators (`include_held`); hidden and deleted
    posts stay in, so the thread keeps its shape (the template shows a line in their place)."""
    first = (page - 1) * POSTS_PER_PAGE + 1
    posts = (
        # Through the topic's manager, so each post knows its topic without asking the database again.
        topic.posts.filter(number__gte=first, number__lt=first + POSTS_PER_PAGE)
        .select_related("author__community_profile", "reply_to__author__community_profile")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("pk")))
        .order_by("number")
    )
    if not include_held:
        held_by_others = Q(status=Post.Status.HELD) & ~Q(author_id=author_id) if author_id else Q(status="held")
        posts = posts.exclude(held_by_others)
    # The LIMIT (never more than a page anyway) makes PostgreSQL walk the unique (topic, number) index in order: on a
    # 3,000-post topic it otherwise chose the topic index and filtered every post of the topic by number.
    return list(posts[:POSTS_PER_PAGE])


def reactions_by(*, user_id: int, post_ids: list[int]) -> set[tuple[int, str]]:
    """(post id, kind) for each reaction this member gave to these posts: one query for the page."""
    if not post_ids:
        return set()
    return set(Reaction.objects.filter(member_id=user_id, post_id__in=post_ids).values_list("post_id", "kind"))


def topic_reply_target(topic: Topic, pk: int) -> Post | None:
    """A visible post in `topic` to quote."""
    return (
        Post.objects.select_related("author__community_profile")
        .filter(topic=topic, pk=pk, status=Post.Status.VISIBLE)
        .first()
    )
