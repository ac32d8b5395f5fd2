"""The production cache answers a miss, not an error, while Redis is away."""

import socket

import pytest

from newsroom.cache import ResilientRedisCache


@pytest.fixture
def cache_without_redis() -> ResilientRedisCache:
    # A port nothing listens on: every call meets a refused connection.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": {}})


def test_every_call_degrades_to_a_miss(cache_without_redis: ResilientRedisCache) -> None:
    cache = cache_without_redis
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["k", "l"]) == {}
    assert cache.add("k", 1) is False
    assert cache.delete("k") is False
    cache.set("k", 1)
    # Deleting callers' entries when a user is saved (newsroom.api.callers) must not
    # turn the save into an error.
    cache.delete_many(["k", "l"])
