"""Waiting for work another thread or process does."""

import time
from collections.abc import Callable

from django.db import OperationalError


def wait_until(
    condition: Callable[[], bool], *, timeout: float = 30, message: str = "timed out"
) -> None:
    deadline = time.monotonic() + timeout
    while not _holds(condition):
        if time.monotonic() > deadline:
            raise AssertionError(message)
        time.sleep(0.05)


def _holds(condition: Callable[[], bool]) -> bool:
    try:
        return condition()
    except OperationalError:
        # SQLite's shared in-memory test database locks whole tables while the
        # worker thread writes; ask again.
        return False
