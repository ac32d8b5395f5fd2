"""A real Celery worker thread on the in-memory transport, and trained models."""

from collections.abc import Iterator

import pytest
from celery.contrib.testing.worker import start_worker

from moderation import classifier, registry
from moderation.classifier import TextClassifier
from moderation.training import seed_examples
from newsroom.celery import app


@pytest.fixture(scope="session")
def seed_classifiers() -> dict[str, TextClassifier]:
    """Trained once per test session from the seed corpus (pure: no database)."""
    return {task: classifier.train(task, *seed_examples(task)) for task in classifier.TASKS}


@pytest.fixture
def active_models(db, seed_classifiers) -> dict[str, TextClassifier]:
    for model in seed_classifiers.values():
        registry.classifier_register(
            classifier=model, training_size=1, sources={"seed": 1}, metrics={}, activate=True
        )
    return seed_classifiers


def _purge() -> None:
    # Earlier tests may have queued tasks for comments of their own (on commit).
    with app.connection_for_write() as conn:
        for queue in ("scoring", "training"):
            conn.default_channel.queue_purge(queue)


@pytest.fixture(scope="session")
def celery_worker_thread() -> Iterator[None]:
    """A real worker thread consuming both queues, started once per session (slow to stop)."""
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
def celery_worker(transactional_db, active_models, celery_worker_thread) -> Iterator[None]:
    _purge()
    yield
    _purge()
