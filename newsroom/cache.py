"""A Redis cache that degrades to a miss when Redis is away, instead of failing the request.

The cache holds nothing that must survive (throttle counters, nothing else), so while Redis
restarts a request is served without its throttle count rather than answered with a 500.
"""

import logging
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ResilientRedisCache(RedisCache):
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

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except _UNAVAILABLE:
            return self._degraded("incr", delta)
