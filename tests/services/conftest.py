"""Worker processes, gunicorn and beat against the test database (scripts/stack.py).

These tests need PostgreSQL and Redis; .ci/run sets NEWSROOM_SERVICES=1 with
DATABASE_URL and CELERY_BROKER_URL pointing at them.
"""

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection

from moderation.scoring_wanted import scoring_wanted_clear
from scripts.stack import Stack, free_port
from tests.pipeline.models import active_models, seed_classifiers  # noqa: F401 - fixtures

SERVICES = os.environ.get("NEWSROOM_SERVICES") == "1"
# Short enough that a test sees the sweep work, long enough that live tasks come first.
FAST_SWEEP = {"SCORING_GRACE_SECONDS": "2", "SCORING_SWEEP_SECONDS": "2"}


def _test_database_url() -> str:
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database server, not SQLite")
    user = db["USER"] or "postgres"
    return f"postgres://{user}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def make_stack(
    transactional_db,
    active_models,  # noqa: F811 - the imported fixture
    tmp_path,
) -> Iterator[Callable[..., Stack]]:
    """Start processes against the test database; every one is stopped afterwards."""
    stacks: list[Stack] = []

    def make(*processes: str, broker_url: str | None = None, **env: str) -> Stack:
        stack = Stack(
            database_url=_test_database_url(),
            broker_url=broker_url or os.environ["CELERY_BROKER_URL"],
            processes=processes,
            env={"NEWSROOM_VAR_DIR": str(tmp_path), **FAST_SWEEP, **env},
            log_dir=tmp_path / f"log{len(stacks)}",
        )
        stacks.append(stack)
        stack.start()
        return stack

    _flush_broker(os.environ.get("CELERY_BROKER_URL", ""))
    # A flag left up by an earlier test, whose run was just flushed, would keep these
    # processes' comments from publishing one (moderation.scoring_wanted).
    scoring_wanted_clear()
    yield make
    for stack in stacks:
        stack.stop()


def _flush_broker(url: str) -> None:
    if url.startswith("redis://"):
        import redis

        redis.Redis.from_url(url).flushdb()


class RedisServer:
    """A private redis-server on a free port, to stop and start without disturbing others."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.skip("redis-server is not installed")
        self.process = subprocess.Popen(  # noqa: S603
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def private_redis(tmp_path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()
