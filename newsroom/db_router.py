"""Public reads on a read replica, when DATABASE_REPLICA_URL names one.

The views that serve readers' pages and lists wrap their reads in `public_read()`;
everything else (writes, the desk, the workers, the admin) stays on the primary. A
replica lags its primary by a little: a page read there just after a decision may not
show it yet, so the views that read there are those whose answers may be a moment old.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings

REPLICA = "replica"
_PUBLIC_READ: ContextVar[bool] = ContextVar("public_read", default=False)


@contextmanager
def public_read() -> Iterator[None]:
    """Send the reads inside the block to the replica (when there is one)."""
    token = _PUBLIC_READ.set(True)
    try:
        yield
    finally:
        _PUBLIC_READ.reset(token)


class PublicReadRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _PUBLIC_READ.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # one database and its copy

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA
