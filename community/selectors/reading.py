"""Read positions: how far each member has read each topic, and what is new to them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from community.models import CommunityProfile, ReadState, Topic, Watch, WatchLevel


def last_read(*, user_id: int, topic_id: int) -> int | None:
    """The highest post number the member has seen in the topic, or None if they have never opened it."""
    return (
        ReadState.objects.filter(member_id=user_id, topic_id=topic_id)
        .values_list("last_read_number", flat=True)
        .first()
    )


def last_read_numbers(*, user_id: int, topic_ids: Iterable[int]) -> dict[int, int]:
    """topic id -> highest post number seen, for the topics of one list page: one query."""
    ids = list(topic_ids)
    if not ids:
        return {}
    return dict(
        ReadState.objects.filter(member_id=user_id, topic_id__in=ids).values_list("topic_id", "last_read_number")
    )


# Topics quiet for longer than this are never counted as new or unread, so the count stays bounded for a member
# who has been away a long time (it reads the latest-activity index, never a whole category).
UNREAD_WINDOW = datetime.timedelta(days=60)
# And at most this many of the most recently active topics are looked at (community_topic_latest), so a busy forum's
# front page costs the same however many topics moved since: counts past it are undercounted, never slow.
UNREAD_SCAN = 1000


def unread_since(profile: CommunityProfile | None) -> datetime.datetime:
    """The time before which nothing is new to the member: when they last marked all as read, or joined, and at most
    UNREAD_WINDOW ago."""
    floor = timezone.now() - UNREAD_WINDOW
    if profile is None:
        return floor
    since = profile.read_all_at or profile.created_at
    return max(since, floor)


def unread_topics_by_category(*, user_id: int, since: datetime.datetime) -> dict[int, int]:
    """category id -> how many topics are new to the member (active since `since`, never opened, not their own) or
    have posts they have not seen (opened, with posts numbered past their read position). One grouped query over
    the UNREAD_SCAN most recently active topics since `since` (the latest-activity index), each with its read
    position looked up by the (member, topic) unique index; the front page shows only categories the member can
    read. Muted topics count for nothing, and neither do the topics of a muted category, unless the member chose
    otherwise for the topic itself (a topic's choice wins over its category's, as for notifications)."""
    recent = (
        Topic.objects.filter(hidden=False, merged_into__isnull=True, last_activity_at__gt=since)
        .order_by("-last_activity_at", "-id")
        .values("pk")[:UNREAD_SCAN]
    )
    seen = ReadState.objects.filter(member_id=user_id, topic_id=OuterRef("pk")).values("last_read_number")[:1]
    own_choice = Watch.objects.filter(member_id=user_id, topic_id=OuterRef("pk"))
    category_muted = Watch.objects.filter(
        member_id=user_id, category_id=OuterRef("category_id"), level=WatchLevel.MUTED
    )
    rows = (
        Topic.objects.filter(pk__in=recent)
        .exclude(Exists(own_choice.filter(level=WatchLevel.MUTED)))
        .exclude(Exists(category_muted) & ~Exists(own_choice))
        .annotate(seen=Subquery(seen))
        .filter((Q(seen__isnull=True) & ~Q(author_id=user_id)) | Q(seen__isnull=False, last_post_number__gt=F("seen")))
        .values("category_id")
        .annotate(unread=Count("pk"))
        .order_by()
    )
    return {row["category_id"]: row["unread"] for row in rows}
