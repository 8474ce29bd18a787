"""Read positions: the one write a GET may make (the member's own, once per topic page), and "mark all as read"
(a POST)."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from community.caching import member_changed
from community.models import CommunityProfile, ReadState

_UPSERT = f"""
INSERT INTO {ReadState._meta.db_table} (member_id, topic_id, last_read_number, updated_at)
VALUES (%s, %s, %s, %s)
ON CONFLICT (member_id, topic_id) DO UPDATE
SET last_read_number = excluded.last_read_number, updated_at = excluded.updated_at
WHERE {ReadState._meta.db_table}.last_read_number < excluded.last_read_number
"""  # noqa: S608 - the table name is the model's own, the values are parameters


def read_state_mark(*, member_id: int, topic_id: int, number: int) -> None:
    """The member has seen the topic up to post `number`. One statement: inserted the first time, moved forward
    after that, never moved back (reading an earlier page does not make later posts unread again). PostgreSQL and
    SQLite both understand it."""
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [member_id, topic_id, number, timezone.now()])
    member_changed(member_id)  # the pages kept for them showed this topic unread


def read_all_mark(*, profile: CommunityProfile) -> None:
    """Everything in the community so far is read for this member: nothing active before now counts as new or
    unread (selectors.reading.unread_since). One UPDATE; read positions stay, so topics still open where the member
    left off."""
    now = timezone.now()
    CommunityProfile.objects.filter(pk=profile.pk).update(read_all_at=now)
    profile.read_all_at = now
    member_changed(profile.user_id)
