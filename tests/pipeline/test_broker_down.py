"""A reader's submit while the broker is unreachable: saved, answered at once, swept later."""

import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.cache import cache

from moderation.comment_scoring import sweep_unscored_comments
from moderation.scoring_wanted import FLAG_KEY, scoring_wanted_clear
from moderation.services import comment_submit
from tests.pipeline.broker import broker_unreachable


@pytest.fixture
def broker_down() -> Iterator[None]:
    with broker_unreachable():
        yield


def test_a_submit_returns_quickly_with_the_comment_saved(
    article, broker_down, django_capture_on_commit_callbacks, caplog
):
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        comment = comment_submit(article=article, author_name="Oksana", body="Still here?")
    elapsed = time.monotonic() - started
    assert len(callbacks) == 1
    assert "Broker unreachable" in caplog.text, "the publish was attempted and failed"
    assert elapsed < 2.0, f"the reader waited {elapsed:.2f} s for a dead broker"
    comment.refresh_from_db()
    assert comment.status == "pending" and comment.scored_at is None
    assert list(comment.events.values_list("action", flat=True)) == ["submitted"]


def test_coalesced_the_comment_is_saved_the_flag_lowered_and_the_sweep_scores_it(
    article, active_models, broker_down, settings, django_capture_on_commit_callbacks, caplog
):
    settings.SCORING_COALESCE = True
    scoring_wanted_clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_submit(article=article, author_name="Oksana", body="Still here?")
    assert "Broker unreachable" in caplog.text, "the publish was attempted and failed"
    # Lowered again: the next comment tries to publish instead of trusting a lost run.
    assert cache.get(FLAG_KEY) is None
    comment.refresh_from_db()
    assert comment.status == "pending" and comment.scored_at is None
    result = sweep_unscored_comments(older_than=timedelta(0))
    assert result.scored == 1
    comment.refresh_from_db()
    assert comment.scored_at is not None
    assert list(comment.events.values_list("action", flat=True)) == ["submitted", "scored"]
