"""A reader's submit while the broker is unreachable: saved, answered at once."""

import time
from collections.abc import Iterator

import pytest

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
