"""Fixtures for the reader pages."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate limits count in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def approved(make_comment):
    """An approved comment, `minutes_ago` minutes old (so tests can fix the order)."""

    def make(body: str = "A fair point.", minutes_ago: int = 0, **fields):
        fields.setdefault("created_at", timezone.now() - timedelta(minutes=minutes_ago))
        return make_comment(body=body, status="approved", **fields)

    return make
