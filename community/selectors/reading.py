"""Read positions: how far each member has read each topic, and what is new to them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, F

from community.models import ReadState


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


def unread_topics_by_category(*, user_id: int) -> dict[int, int]:
    """category id -> how many topics the member has opened that have posts since. One grouped query over the
    member's own read positions (bounded by what they have read), never over a category's topics."""
    rows = (
        ReadState.objects.filter(
            member_id=user_id, topic__hidden=False, topic__last_post_number__gt=F("last_read_number")
        )
        .values("topic__category_id")
        .annotate(unread=Count("pk"))
        .order_by()
    )
    return {row["topic__category_id"]: row["unread"] for row in rows}
