"""Fixtures for the desk: scored comments and classifier model rows."""

import pytest
from django.core.cache import cache

from tests.desk import factories


@pytest.fixture(autouse=True)
def _forget_retrain_requests():
    """The "retraining queued" note lives in the cache, which outlives a test."""
    yield
    cache.clear()


@pytest.fixture
def scored_comment(article):
    def make(body: str = "Best casino bonus at http://spam.example", **fields):
        fields.setdefault("article", article)
        return factories.scored_comment(fields.pop("article"), body, **fields)

    return make


@pytest.fixture
def make_model(db):
    return factories.classifier_model
