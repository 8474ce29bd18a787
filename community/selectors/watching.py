"""What a member chose to watch, track or mute."""

from __future__ import annotations

from collections.abc import Iterable

from community.models import Category, Topic, Watch, WatchLevel


def watch_level_of(*, user_id: int, topic: Topic | None = None, category: Category | None = None) -> str:
    """The member's own choice for a topic or a category: a WatchLevel value, or "" when they made none."""
    rows = Watch.objects.filter(member_id=user_id)
    rows = rows.filter(topic=topic) if topic is not None else rows.filter(category=category)
    return rows.values_list("level", flat=True).first() or ""


def muted_topic_ids(*, user_id: int, topic_ids: Iterable[int]) -> set[int]:
    """Which of these topics the member muted: one query for a list page, by the (member, topic) unique index."""
    ids = list(topic_ids)
    if not ids:
        return set()
    return set(
        Watch.objects.filter(member_id=user_id, topic_id__in=ids, level=WatchLevel.MUTED).values_list(
            "topic_id", flat=True
        )
    )
