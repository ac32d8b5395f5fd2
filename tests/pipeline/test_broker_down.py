"""A reader's submit while the broker is unreachable: saved, answered at once."""

import socket
import time
from collections.abc import Iterator

import pytest

from moderation.services import comment_submit
from newsroom.celery import app


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def broker_down(monkeypatch) -> Iterator[None]:
    """Point the app at a Redis port nobody listens on, with the production options."""
    saved = (app.conf.broker_url, app.conf.broker_transport_options, app._pool)
    dead = f"redis://127.0.0.1:{_closed_port()}/0"
    # Celery reads the environment variable before its configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", dead)
    app.conf.broker_url = dead
    app.conf.broker_transport_options = {
        **saved[1],
        "socket_connect_timeout": 1,
        "socket_timeout": 5,
    }
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.broker_url, app.conf.broker_transport_options, app._pool = saved
        app.amqp._producer_pool = None


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
