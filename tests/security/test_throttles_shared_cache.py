"""Throttles count in the shared Redis cache of the production settings: a second process
sees the first one's count and answers 429; a Redis outage lets requests through (no 500)."""

import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django.test import override_settings
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from newsroom.api.throttles import PublicScopedThrottle

CACHE_URL = os.environ.get("CACHE_URL") or "redis://127.0.0.1:6379/12"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(CACHE_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(
    not _redis_up() and not os.environ.get("NEWSROOM_SERVICES"), reason="no Redis here"
)


class SubmitView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [PublicScopedThrottle]
    throttle_scope = "comment_submit"

    def post(self, request):  # type: ignore[no-untyped-def]
        return Response({"ok": True}, status=201)


@pytest.fixture(autouse=True)
def two_posts_a_minute(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"comment_submit": "2/minute"},
    }
    assert api_settings.DEFAULT_THROTTLE_RATES == {"comment_submit": "2/minute"}


def _production_cache(location: str) -> dict:
    return {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": location,
            # A fresh prefix per test: no count left over from an earlier run.
            "KEY_PREFIX": f"throttle-test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def _post_response(ip: str = "198.51.100.9"):  # type: ignore[no-untyped-def]
    request = APIRequestFactory().post("/api/v1/articles/x/comments/", {}, REMOTE_ADDR=ip)
    return SubmitView.as_view()(request)


def _post(ip: str = "198.51.100.9") -> int:
    return int(_post_response(ip).status_code)


def test_the_third_post_in_a_minute_gets_429_even_from_another_process():
    with override_settings(CACHES=_production_cache(CACHE_URL)):
        assert [_post(), _post()] == [201, 201]
        # A new connection, as another gunicorn worker would have.
        caches.close_all()
        del caches["default"]
        response = _post_response()
        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 60
        assert _post(ip="198.51.100.10") == 201


def test_a_redis_outage_lets_requests_through_instead_of_failing_them():
    with override_settings(CACHES=_production_cache("redis://127.0.0.1:1/0")):
        assert [_post(), _post(), _post()] == [201, 201, 201]
