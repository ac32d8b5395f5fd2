"""Per-IP rate limits for the public endpoints."""

from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class PublicScopedThrottle(ScopedRateThrottle):
    """ScopedRateThrottle whose rates are read when a request arrives.

    DRF's throttles copy the rates once, when the class is defined, so a changed
    setting (a deployment's environment, a test) would otherwise be ignored.
    The client is known by REMOTE_ADDR unless REST_FRAMEWORK["NUM_PROXIES"] says how
    many proxies in front of the service append to X-Forwarded-For.
    """

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return None if rate is None else str(rate)
