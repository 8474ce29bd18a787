"""Watching, tracking and muting topics and categories.

Watching tells the member about every reply (community.services.notifying); tracking shows a count of new replies
only; muting tells them nothing. A choice for a topic wins over one for its category. Members watch the topics they
start and track those they reply in, unless they already chose something for the topic.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from community.models import Category, Topic, Watch, WatchLevel

if TYPE_CHECKING:
    from portal.models import User


def watch_set(*, member: User, level: str, topic: Topic | None = None, category: Category | None = None) -> None:
    """Set the member's choice for one topic or one category; level "" removes it (the topic then follows its
    category, and a category tells nothing). Raises ValueError for an unknown level or not exactly one target."""
    if (topic is None) == (category is None):
        raise ValueError("Choose a topic or a category.")
    if level and level not in WatchLevel.values:
        raise ValueError(f"Unknown level {level!r}")
    target = {"topic": topic} if topic is not None else {"category": category}
    if not level:
        Watch.objects.filter(member=member, **target).delete()
        return
    Watch.objects.update_or_create(member=member, **target, defaults={"level": level})


def watch_default(*, member_id: int, topic_id: int, level: str) -> None:
    """The choice a member gets by starting (watching) or replying in (tracking) a topic, unless they made one."""
    Watch.objects.get_or_create(member_id=member_id, topic_id=topic_id, defaults={"level": level})
