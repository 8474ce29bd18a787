"""What the forum caches for everyone, and the one version that makes it stale (see portal/cache.py).

Pages for people who are signed out (the front page, a category's topics, a topic's pages, a search) are cached
whole under FORUM_CACHE. Every change to what they show bumps it: community/receivers.py does on each save or delete
of a category, topic, post or reaction, however it is made (the services, the moderators' tools, the admin), and
the services that write counters with UPDATE bump it in the same transaction as the row they save.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache

from portal.cache import bump, personal, version_key, versions

FORUM_CACHE = "community"
# One member's own standing in the forum (their read positions, groups, blocks, watches, flags): personal(MEMBER_CACHE,
# user id), part of the key of the forum pages kept for them (portal.member_pages), bumped by community/receivers.py
# and community/services/reading.py whoever makes the change (a moderator deciding a group request, say).
MEMBER_CACHE = "community-member"


def forum_changed() -> None:
    """Make every cached forum page stale (now, and again after commit: portal.cache.bump)."""
    bump(FORUM_CACHE)


def member_changed(user_id: int) -> None:
    """Make the forum pages kept for this member stale."""
    bump(personal(MEMBER_CACHE, user_id))


def member_prefetch_keys(user_id: int) -> list[str]:
    return [version_key(personal(MEMBER_CACHE, user_id))]


# --- A post's shared part -----------------------------------------------------------------------------------------
# The part of a post in a topic page that is the same for every reader in the same position (its author line,
# metadata, body behind any content note, attachments) is rendered once and kept as HTML under the forum version,
# the post's own edit stamp and status, and the few reader-dependent switches the part reads. Any save of a post,
# topic, reaction, attachment or community profile bumps the forum version (community/receivers.py), so a change
# shows at once. The reader's own controls (reactions pressed, edit, delete, flag) are never cached.

POST_PART_TIMEOUT = 60 * 60


def post_part_key(prefix: str, row: dict[str, Any]) -> str:
    post = row["post"]
    stamp = int(post.edited_at.timestamp() * 1_000_000) if post.edited_at else 0
    switches = "".join(
        str(int(bool(row[name]))) for name in ("shows_body", "collapsed", "reveal", "accepted", "moderator")
    )
    return f"{prefix}:{post.pk}:{stamp}:{post.status}:{switches}"


def post_parts_attach(rows: list[dict[str, Any]]) -> None:
    """Give each row its `part_key` and, when cached, its `part_html`: one round trip for the page."""
    if not rows:
        return
    prefix = f"portal:data:{versions([FORUM_CACHE])}:post-part"
    for row in rows:
        row["part_key"] = post_part_key(prefix, row)
    found = cache.get_many([row["part_key"] for row in rows])
    for row in rows:
        row["part_html"] = found.get(row["part_key"])


def post_part_store(key: str, html: str) -> None:
    cache.set(key, html, POST_PART_TIMEOUT)
