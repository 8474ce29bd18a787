"""What the forum caches for everyone, and the one version that makes it stale (see portal/cache.py).

Pages for people who are signed out (the front page, a category's topics, a topic's pages, a search) are cached
whole under FORUM_CACHE. Every change to what they show bumps it: community/receivers.py does on each save or delete
of a category, topic, post or reaction, however it is made (the services, the moderators' tools, the admin), and
the services that write counters with UPDATE bump it in the same transaction as the row they save.
"""

from __future__ import annotations

from portal.cache import bump

FORUM_CACHE = "community"


def forum_changed() -> None:
    """Make every cached forum page stale (now, and again after commit: portal.cache.bump)."""
    bump(FORUM_CACHE)
