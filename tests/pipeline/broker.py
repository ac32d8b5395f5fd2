"""A broker nobody answers, for tests of what a reader's submit does without one."""

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

from newsroom.celery import app


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def broker_unreachable() -> Iterator[None]:
    """Point the app at a Redis port nobody listens on, with the production options."""
    saved = (app.conf.broker_url, app.conf.broker_transport_options, app._pool)
    saved_env = os.environ.get("CELERY_BROKER_URL")
    dead = f"redis://127.0.0.1:{_closed_port()}/0"
    # Celery reads the environment variable before its configuration.
    os.environ["CELERY_BROKER_URL"] = dead
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
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
