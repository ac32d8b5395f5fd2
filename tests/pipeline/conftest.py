"""A real Celery worker thread (in-memory transport, or CELERY_BROKER_URL in CI), trained models."""

from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker

from moderation.scoring_wanted import scoring_wanted_clear
from newsroom.celery import app
from tests.pipeline.models import (  # noqa: F401 - fixtures
    abuse_model_never_acts,
    active_models,
    contrary_spam_model,
    fresh_worker,
    seed_classifiers,
    spam_shadow,
)


def _purge() -> None:
    # Earlier tests may have queued tasks for comments of their own (on commit).
    with app.connection_for_write() as conn:
        for queue in ("scoring", "training"):
            conn.default_channel.queue_purge(queue)
    # A purged scoring run must not leave its flag up (moderation.scoring_wanted): the
    # next test's comments would find it up and publish nothing.
    scoring_wanted_clear()


@pytest.fixture(scope="module")
def celery_worker_thread() -> Iterator[None]:
    """A real worker thread consuming both queues, once per module (it is slow to stop).

    Not per session: it must not outlive these tests and take tasks meant for the
    worker processes of tests/services.
    """
    _purge()
    with start_worker(
        app,
        pool="solo",
        concurrency=1,
        queues=["scoring", "training"],
        perform_ping_check=False,
        shutdown_timeout=30,
        loglevel="WARNING",
    ):
        yield


@pytest.fixture
def celery_worker(transactional_db, active_models, celery_worker_thread) -> Iterator[None]:  # noqa: F811
    _purge()
    yield
    _purge()
