"""Django's Redis cache backend, with one redis-py client per connection pool instead of one per call.

Django's RedisCacheClient.get_client() builds a new `redis.Redis` for every cache operation, and its constructor
copies some two hundred response callbacks: measured, that cost more than the round trip to Redis itself, and a
signed-in page makes several cache calls. A redis-py client is thread-safe and only borrows connections from its
pool, so one per pool is enough. Keys are not checked for memcached's limits, which Redis does not have. Everything
else is Django's.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's own private helpers, which django-stubs does not declare.
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def make_and_validate_key(self, key: Any, version: int | None = None) -> str:
        # Django warns about keys memcached would refuse, checking every character of every key on every call (a
        # twentieth of a cached page's cost). Redis takes any key, and every key here is made by this portal.
        return self.make_key(key, version=version)

    def count(self, key: str) -> int:
        """Add one to the counter at `key`, starting it at 1 (with no expiry) if there is none: Redis's INCR, one
        round trip. Django's incr() asks whether the key exists first (two) and refuses a missing one. Counters are
        stored as plain integers, as Django stores every int, so get() and get_many() read them back."""
        return int(self._cache.get_client(key, write=True).incr(self.make_and_validate_key(key)))
