"""A Redis cache that degrades to a miss when Redis is away, instead of failing the request.

The cache holds nothing that must survive (throttle counters, nothing else), so while Redis
restarts a request is served without its throttle count rather than answered with a 500.
"""

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class _ReusedClients(RedisCacheClient):
    """Django builds a new redis.Redis for every cache call (a quarter of a millisecond
    each, mostly its table of reply callbacks); one per connection pool does. The
    clients are thread-safe, like the pools they share.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ReusedClients

    def _degraded(self, operation: str, default: Any) -> Any:
        logger.warning("Cache unavailable during %s; treated as a miss", operation, exc_info=True)
        return default

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except _UNAVAILABLE:
            return self._degraded("get", default)

    def get_many(self, keys: Any, version: int | None = None) -> dict[str, Any]:
        try:
            return super().get_many(keys, version)
        except _UNAVAILABLE:
            return self._degraded("get_many", {})

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        try:
            super().set(key, value, timeout, version)
        except _UNAVAILABLE:
            self._degraded("set", None)

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except _UNAVAILABLE:
            return self._degraded("add", False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except _UNAVAILABLE:
            return self._degraded("delete", False)

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        # A user saved while Redis is away is still saved: its cached callers (and any
        # entry the cache lost with it) expire within newsroom.api.callers.TTL_SECONDS.
        try:
            super().delete_many(keys, version)
        except _UNAVAILABLE:
            self._degraded("delete_many", None)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except _UNAVAILABLE:
            return self._degraded("incr", delta)

    def count_hit(self, key: Any, timeout: int, version: int | None = None) -> int:
        """Add one to a counter that expires `timeout` s after its first hit; one round trip.

        For fixed-window rate limits (newsroom.lib.ratelimit): Django's add() and incr()
        together take three round trips.
        """
        key = self.make_and_validate_key(key, version=version)
        try:
            client = self._cache.get_client(key, write=True)  # type: ignore[attr-defined]
            pipe = client.pipeline(transaction=False)
            pipe.incr(key)
            pipe.expire(key, timeout, nx=True)
            count, _ = pipe.execute()
        except _UNAVAILABLE:
            return int(self._degraded("count_hit", 0))
        return int(count)

    def count_hit_and_get(
        self, counter: str | None, timeout: int, keys: list[str]
    ) -> tuple[int, list[Any]]:
        """count_hit() on `counter` (when given) and get() of each key, in one round trip.

        For the cached public list: its throttle and its cache check together.
        """
        made = [self.make_and_validate_key(key) for key in keys]
        try:
            client = self._cache.get_client(made[0], write=True)  # type: ignore[attr-defined]
            pipe = client.pipeline(transaction=False)
            if counter is not None:
                counter = self.make_and_validate_key(counter)
                pipe.incr(counter)
                pipe.expire(counter, timeout, nx=True)
            for key in made:
                pipe.get(key)
            replies = pipe.execute()
        except _UNAVAILABLE:
            return self._degraded("count_hit_and_get", (0, [None] * len(keys)))
        count = int(replies[0]) if counter is not None else 0
        values = replies[2:] if counter is not None else replies
        loads = self._cache._serializer.loads  # type: ignore[attr-defined]
        return count, [None if value is None else loads(value) for value in values]
