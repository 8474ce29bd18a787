"""What a member chose to watch, track or mute."""

from __future__ import annotations

from community.models import Category, Topic, Watch


def watch_level_of(*, user_id: int, topic: Topic | None = None, category: Category | None = None) -> str:
    """The member's own choice for a topic or a category: a WatchLevel value, or "" when they made none."""
    rows = Watch.objects.filter(member_id=user_id)
    rows = rows.filter(topic=topic) if topic is not None else rows.filter(category=category)
    return rows.values_list("level", flat=True).first() or ""
