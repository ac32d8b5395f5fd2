"""Per-IP rate limits for the public endpoints."""

from typing import Any

from django.http import HttpRequest
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from newsroom.lib.client_address import client_address
from newsroom.lib.ratelimit import Rate, count_hit, parse_rate

# The attribute a view sets on the request when it has counted it against its scope.
COUNTED = "throttle_counted"


def scope_rate(scope: str) -> Rate | None:
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
    return None if rate is None else parse_rate(str(rate))


def throttle_key(scope: str, request: HttpRequest | Request) -> str:
    return f"api:{scope}:{client_address(request) or 'unknown'}"


class PublicScopedThrottle(BaseThrottle):
    """A fixed-window limit per client and the view's `throttle_scope`.

    The rate is read from DEFAULT_THROTTLE_RATES when a request arrives, so a changed
    setting (a deployment's environment, a test) applies at once. The client is the one
    newsroom.lib.client_address names (TRUSTED_PROXY_COUNT), as for the reader forms.
    """

    seconds_left: int | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        scope = getattr(view, "throttle_scope", None) or ""
        limit = scope_rate(scope)
        if limit is None:
            return True
        # A view that counted the request already, in a round trip of its own (the
        # cached comment list), leaves the count on the request.
        counted: tuple[int, int] | None = getattr(request, COUNTED, None)
        if counted is None:
            counted = count_hit(throttle_key(scope, request), limit)
        count, self.seconds_left = counted
        return count <= limit.count

    def get_ident(self, request: Request) -> str:
        return client_address(request) or "unknown"

    def wait(self) -> float | None:
        return self.seconds_left
