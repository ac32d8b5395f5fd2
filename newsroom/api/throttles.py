"""Per-IP rate limits for the public endpoints."""

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

from newsroom.lib.client_address import client_address
from newsroom.lib.ratelimit import count_hit, parse_rate


class PublicScopedThrottle(BaseThrottle):
    """A fixed-window limit per client and the view's `throttle_scope`.

    The rate is read from DEFAULT_THROTTLE_RATES when a request arrives, so a changed
    setting (a deployment's environment, a test) applies at once. The client is the one
    newsroom.lib.client_address names (TRUSTED_PROXY_COUNT), as for the reader forms.
    """

    seconds_left: int | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        scope = getattr(view, "throttle_scope", None) or ""
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
        if rate is None:
            return True
        limit = parse_rate(str(rate))
        count, self.seconds_left = count_hit(f"api:{scope}:{self.get_ident(request)}", limit)
        return count <= limit.count

    def get_ident(self, request: Request) -> str:
        return client_address(request) or "unknown"

    def wait(self) -> float | None:
        return self.seconds_left
