"""Django's cached_db sessions (Redis, written through to the database), read in the request's first round trip.

portal.middleware.AuthenticationMiddleware asks Redis once at the start of each request for everything the page is
likely to read (portal.cache.prefetch). The session's own entry can be part of that one round trip: the session key
comes with the cookie, and each process remembers which person a session belonged to on its last request, so their
personal keys can be asked for in the same round trip. This store reads its entry from that round trip's answers when
they hold it, and otherwise exactly as Django's does.
"""

from typing import Any

from django.contrib.sessions.backends import cached_db

from portal import cache


class SessionStore(cached_db.SessionStore):
    def load(self) -> dict[str, Any]:
        found = cache.prefetched(self.cache_key)
        if isinstance(found, dict):
            return found
        return super().load()
