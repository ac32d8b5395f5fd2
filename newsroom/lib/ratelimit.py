"""A small fixed-window rate limit per client IP, kept in Django's cache.

The reader forms are plain Django views, so DRF's throttles do not apply to them; this
is the same idea in a few lines. With a shared cache (Redis in production) every web
process counts against the same window.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

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


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: a proxy in front must set it (e.g. gunicorn's forwarded_allow_ips),
    # since X-Forwarded-For is whatever the client chose to send.
    return request.META.get("REMOTE_ADDR") or None


def rate_limited(request: HttpRequest, *, scope: str, rate: str) -> bool:
    """Count this request against the client's window; True once it is over the limit."""
    limit = parse_rate(rate)
    window = int(time.time() // limit.seconds)
    key = f"ratelimit:{scope}:{client_ip(request) or 'unknown'}:{window}"
    # add() is atomic and only sets a missing key, so two processes never reset each other.
    cache.add(key, 0, timeout=limit.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=limit.seconds + 1)
        count = 1
    return count > limit.count
