"""A small fixed-window rate limit per client IP, kept in Django's cache.

The client is who newsroom.lib.client_address says it is, for the forms and the API alike.

One counter per client and window: the same cost at any rate (DRF's own throttles keep
each client's whole request history, read and written on every request). The reader
forms use rate_limited(); the API's public endpoints use it through
newsroom.api.throttles. With a shared cache (Redis in production) every web process
counts against the same window. A client can fit up to twice the limit around a window's
end; for turning away floods of comments that is close enough.
"""

import math
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from newsroom.lib.client_address import client_address

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(rate: str) -> Rate:
    """Read "5/minute" (or "20/hour", "1/second", "100/day")."""
    count, _, period = rate.partition("/")
    try:
        return Rate(count=int(count), seconds=_PERIODS[period.strip().lower()])
    except (ValueError, KeyError):
        raise ImproperlyConfigured(
            f"Rate {rate!r} is not of the form N/second, N/minute, N/hour or N/day."
        ) from None


def window_key(key: str, limit: Rate) -> tuple[str, int]:
    """The counter of `key`'s current window, and the seconds left in that window."""
    now = time.time()
    window = int(now // limit.seconds)
    return f"ratelimit:{key}:{window}", max(1, math.ceil((window + 1) * limit.seconds - now))


def count_hit(key: str, limit: Rate) -> tuple[int, int]:
    """Count one request in the current window of `key`: (count so far, seconds left)."""
    key, left = window_key(key, limit)
    return count_window(key, timeout=limit.seconds + 1), left


def count_window(counter: str, *, timeout: int) -> int:
    """Add one to a window's counter (window_key) and return it."""
    count_hit_in_cache = getattr(cache, "count_hit", None)
    if count_hit_in_cache is not None:  # the Redis cache: one round trip
        return int(count_hit_in_cache(counter, timeout=timeout))
    # add() is atomic and only sets a missing key, so two processes never reset each other.
    cache.add(counter, 0, timeout=timeout)
    try:
        return int(cache.incr(counter))
    except ValueError:  # expired between add() and incr()
        cache.add(counter, 1, timeout=timeout)
        return 1


def rate_limited(request: HttpRequest, *, scope: str, rate: str) -> bool:
    """Count this request against the client's window; True once it is over the limit."""
    limit = parse_rate(rate)
    count, _ = count_hit(f"{scope}:{client_address(request) or 'unknown'}", limit)
    return count > limit.count
