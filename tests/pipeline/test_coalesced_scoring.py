"""Coalesced scoring through a real worker: few runs for a burst, no comment left unscored.

On the in-memory broker and cache by default; `make test-services` runs the same tests on
Redis (broker and the shared cache that holds the flag) and PostgreSQL.
"""

import threading
from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q

from moderation import queueing, tasks
from moderation.comment_scoring import score_waiting_comments
from moderation.models import Comment
from moderation.queueing import CLASSIFY_COMMENT, SCORE_WAITING
from moderation.scoring_wanted import FLAG_KEY, scoring_wanted_clear
from moderation.services import comment_submit
from tests.pipeline.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _flag_down() -> Iterator[None]:
    """No flag from another test; none left for the next (it would hold its tasks back)."""
    scoring_wanted_clear()
    yield
    scoring_wanted_clear()


@pytest.fixture
def coalesced(settings) -> None:
    settings.SCORING_COALESCE = True
    # A run out of time raises the flag for the next one; on a busy machine a run of the
    # worker thread could do so after its test ended, and hold the next test's publish.
    settings.SWEEP_TIME_BUDGET_SECONDS = 300


@pytest.fixture
def published(monkeypatch) -> list[str]:
    """The names of the tasks the web side published, in order."""
    names: list[str] = []
    publish = queueing.publish_quietly

    def counted(task_name: str, *args: object, **kwargs: object) -> bool:
        names.append(task_name)
        return publish(task_name, *args, **kwargs)

    monkeypatch.setattr(queueing, "publish_quietly", counted)
    return names


def _needs_concurrent_writers() -> None:
    # On SQLite the reader's inserts and the worker's writes lock each other out, and
    # the worker's run retries with backoff: what is measured is then SQLite.
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (make test-services)")


def _submit(article, text: str) -> Comment:
    return comment_submit(article=article, author_name="Reader", body=text)


def _unscored(ids: list[int]) -> int:
    return Comment.objects.filter(pk__in=ids, scored_at=None).count()


def _scored_once(ids: list[int]) -> bool:
    counts = (
        Comment.objects.filter(pk__in=ids)
        .annotate(scored=Count("events", filter=Q(events__action="scored")))
        .values_list("scored", flat=True)
    )
    return sorted(counts) == [1] * len(ids)


def test_a_burst_is_scored_by_fewer_runs_than_comments(
    celery_worker, article, coalesced, published
):
    _needs_concurrent_writers()
    ids = [_submit(article, f"Burst comment {i} about the bridge repairs.").pk for i in range(40)]
    wait_until(lambda: _unscored(ids) == 0, message="comments of the burst left unscored")
    assert CLASSIFY_COMMENT not in published
    assert 1 <= published.count(SCORE_WAITING) < len(ids)
    assert _scored_once(ids)


@pytest.fixture
def held_run(monkeypatch) -> Iterator[tuple[threading.Event, threading.Event]]:
    """Hold the worker's run after it started and before it lowers the flag."""
    started, release = threading.Event(), threading.Event()
    clear = tasks.scoring_wanted_clear

    def held() -> None:
        started.set()
        release.wait(30)
        clear()

    monkeypatch.setattr(tasks, "scoring_wanted_clear", held)
    try:
        yield started, release
    finally:
        release.set()


def test_comments_that_find_the_flag_up_are_scored_by_the_run_under_way(
    celery_worker, article, coalesced, published, held_run
):
    started, release = held_run
    first = _submit(article, "The first comment raises the flag.")
    assert started.wait(30), "the worker never took the run"
    # The run is under way on the worker and the flag still up: these publish nothing.
    later = [_submit(article, f"Posted while the run waits, number {i}.").pk for i in range(5)]
    assert published == [SCORE_WAITING]
    release.set()
    ids = [first.pk, *later]
    wait_until(lambda: _unscored(ids) == 0, message="a comment that found the flag up waits")
    assert published == [SCORE_WAITING]
    assert _scored_once(ids)


def test_posting_while_the_worker_scores_leaves_nothing_unscored(
    celery_worker, article, coalesced, published
):
    """The reader (this thread) and the worker (its own) at once: posting goes on until
    the worker has scored some of the burst, then twenty more come while it runs."""
    _needs_concurrent_writers()
    ids: list[int] = []
    while Comment.objects.filter(pk__in=ids, scored_at__isnull=False).count() == 0:
        assert len(ids) < 500, "the worker scored nothing while comments came in"
        ids.append(_submit(article, f"Concurrent comment {len(ids)} on the repairs.").pk)
    ids += [_submit(article, f"Comment {i} after the first scores.").pk for i in range(20)]
    wait_until(lambda: _unscored(ids) == 0, message="comments posted mid-run left unscored")
    assert _scored_once(ids)
    assert published.count(SCORE_WAITING) < len(ids)


def test_a_run_scores_every_waiting_comment_in_batches_oldest_first(active_models, make_comment):
    ids = [make_comment(body=f"Waiting comment {i} on the repairs.").pk for i in range(8)]
    result = score_waiting_comments(time_budget=60, batch_size=3)
    assert (result.scored, result.batches, result.finished) == (8, 3, True)
    assert _unscored(ids) == 0 and _scored_once(ids)


def test_a_run_out_of_time_says_so_and_leaves_the_newest(active_models, make_comment):
    ids = [make_comment(body=f"Waiting comment {i} on the repairs.").pk for i in range(8)]
    result = score_waiting_comments(time_budget=0, batch_size=3)
    assert (result.scored, result.finished) == (3, False)
    left = Comment.objects.filter(pk__in=ids, scored_at=None).values_list("pk", flat=True)
    assert sorted(left) == ids[3:]


def test_a_run_out_of_time_asks_for_another(
    active_models, make_comment, coalesced, settings, published
):
    settings.SWEEP_TIME_BUDGET_SECONDS = 0
    settings.SCORING_BATCH_SIZE = 3
    for i in range(8):
        make_comment(body=f"Waiting comment {i} on the repairs.")
    assert tasks.score_waiting() == 3
    assert published == [SCORE_WAITING]
    assert cache.get(FLAG_KEY) is not None, "the flag is up for the run it asked for"
