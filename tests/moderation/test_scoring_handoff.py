"""The hand-off of a committed comment to scoring: one task each, or coalesced by a flag."""

import socket
import time
from collections.abc import Iterator

import pytest
from django.core.cache import cache

from moderation import queueing
from moderation.queueing import CLASSIFY_COMMENT, SCORE_WAITING, enqueue_classification
from moderation.scoring_wanted import FLAG_KEY, scoring_wanted_clear


@pytest.fixture(autouse=True)
def _flag_down() -> Iterator[None]:
    cache.delete(FLAG_KEY)
    yield
    cache.delete(FLAG_KEY)


@pytest.fixture
def published(monkeypatch) -> list[tuple[str, tuple[object, ...]]]:
    """What was published (task name, arguments); the broker is not asked."""
    sent: list[tuple[str, tuple[object, ...]]] = []

    def record(task_name: str, *args: object, **kwargs: object) -> bool:
        sent.append((task_name, args))
        return True

    monkeypatch.setattr(queueing, "publish_quietly", record)
    return sent


@pytest.fixture
def coalesced(settings) -> None:
    settings.SCORING_COALESCE = True


def test_without_coalescing_each_comment_publishes_its_own_task(settings, published):
    settings.SCORING_COALESCE = False
    enqueue_classification(1)
    enqueue_classification(2)
    assert published == [(CLASSIFY_COMMENT, (1,)), (CLASSIFY_COMMENT, (2,))]


def test_comments_publish_one_run_until_the_run_lowers_the_flag(coalesced, published):
    for comment_id in (1, 2, 3):
        enqueue_classification(comment_id)
    assert published == [(SCORE_WAITING, ())]
    scoring_wanted_clear()  # what the run does before it selects
    enqueue_classification(4)
    assert published == [(SCORE_WAITING, ()), (SCORE_WAITING, ())]


def test_a_failed_publish_lowers_the_flag_so_the_next_comment_tries_again(
    coalesced, monkeypatch, caplog
):
    attempts: list[str] = []

    def broker_down(task_name: str, *args: object, **kwargs: object) -> bool:
        attempts.append(task_name)
        return False

    monkeypatch.setattr(queueing, "publish_quietly", broker_down)
    enqueue_classification(1)
    assert cache.get(FLAG_KEY) is None
    assert "Comment 1 waits for the sweep" in caplog.text
    enqueue_classification(2)
    assert attempts == [SCORE_WAITING, SCORE_WAITING]


def test_a_lost_run_holds_publishing_back_only_until_the_flag_expires(
    coalesced, settings, published
):
    settings.SCORING_WANTED_SECONDS = 1
    enqueue_classification(1)  # its run is lost: nobody lowers the flag
    enqueue_classification(2)
    assert published == [(SCORE_WAITING, ())]
    time.sleep(1.2)
    enqueue_classification(3)
    assert published == [(SCORE_WAITING, ()), (SCORE_WAITING, ())]


def test_an_unreachable_cache_publishes_for_every_comment(coalesced, settings, published):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    enqueue_classification(1)
    enqueue_classification(2)
    assert published == [(SCORE_WAITING, ()), (SCORE_WAITING, ())]
