"""Faults under load, against real processes and servers the test owns.

gunicorn (2 workers), a scoring worker and beat (scripts/stack.py) run on production
settings against a throwaway PostgreSQL cluster and a Redis server on free ports. Each test
posts comments through the API while it kills a worker, restarts Redis or PostgreSQL, or
restarts everything with 10,000 comments queued; then checks that no comment was lost,
each was scored exactly once, no event was written twice, and that the web answered 503
(never 500) while the database was away.

Runs only with NEWSROOM_SERVICES=1 (.ci/run sets it). Every outage is undone in a
`finally`, and the services are destroyed at the end, whatever happened.
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from scripts.stack import COMMENT_URL
from tests.production.own_services import OwnPostgres, OwnRedis, available

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        os.environ.get("NEWSROOM_SERVICES") != "1", reason="needs NEWSROOM_SERVICES=1"
    ),
]

SLUG = "fault-tolerance"
COMMENT_POST_PATH = COMMENT_URL.format(slug=SLUG)
DATABASE = "newsroom_prod_faults"
QUEUE_FILL = int(os.environ.get("FAULT_QUEUE_FILL", "10000"))
# Bounds on the wait for scoring to catch up: generous, since on a two-core machine the
# worker scores a few dozen comments a second at best.
SCORED_WITHIN = float(os.environ.get("FAULT_SCORED_WITHIN", "180"))
QUEUE_SCORED_WITHIN = float(os.environ.get("FAULT_QUEUE_SCORED_WITHIN", "1800"))


@dataclass
class Load:
    """Threads posting comments for a bounded time; remembers every answer."""

    port: int
    marker: str
    threads: int = 2
    # A steady trickle (about 30 a second), not a flood: these tests are about faults,
    # and a backlog the worker needs minutes to clear proves nothing more.
    pause: float = 0.05
    statuses: Counter[int | str] = field(default_factory=Counter)
    accepted: list[int] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _workers: list[threading.Thread] = field(default_factory=list)
    _sent: int = 0

    def post(self, number: int) -> None:
        body = json.dumps(
            {"author_name": "Load", "body": f"{self.marker} comment {number} on the repairs."}
        )
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        try:
            connection.request(
                "POST", COMMENT_POST_PATH, body, {"Content-Type": "application/json"}
            )
            response = connection.getresponse()
            payload = response.read()
            status: int | str = response.status
            if response.status == 201:
                with self._lock:
                    self.accepted.append(int(json.loads(payload)["id"]))
        except OSError as error:
            status = type(error).__name__
        finally:
            connection.close()
        with self._lock:
            self.statuses[status] += 1

    def _run(self, limit: int | None) -> None:
        while not self._stop.is_set():
            with self._lock:
                if limit is not None and self._sent >= limit:
                    return
                self._sent += 1
                number = self._sent
            self.post(number)
            if self.pause:
                time.sleep(self.pause)

    def start(self, limit: int | None = None) -> Load:
        for _ in range(self.threads):
            worker = threading.Thread(target=self._run, args=(limit,), daemon=True)
            worker.start()
            self._workers.append(worker)
        return self

    def stop(self, timeout: float = 30) -> None:
        self._stop.set()
        self.join(timeout)

    def join(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for worker in self._workers:
            worker.join(max(0.1, deadline - time.monotonic()))


@dataclass
class Services:
    postgres: OwnPostgres
    redis: OwnRedis
    stack: object  # scripts.stack.Stack

    def query(self, sql: str, *params: object) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.postgres.url(DATABASE), connect_timeout=5) as conn:
            return conn.execute(sql, params).fetchall()


@pytest.fixture(scope="module")
def services() -> Iterator[Services]:
    reason = available()
    if reason:
        pytest.fail(f"Fault tests need their own servers: {reason}")
    from scripts.stack import Stack

    postgres, redis = OwnPostgres(), OwnRedis()
    stack = None
    try:
        postgres.start()
        postgres.create_database(DATABASE)
        redis.start()
        stack = Stack(
            database_url=postgres.url(DATABASE),
            broker_url=redis.url(0),
            processes=("web", "scoring", "beat"),
            settings="newsroom.settings.production",
            env={
                "SECRET_KEY": "fault-tests-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
                "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "CACHE_URL": redis.url(1),
                "SECURE_SSL_REDIRECT": "false",
                "SCORING_GRACE_SECONDS": "3",
                "THROTTLE_PUBLIC_READ": "1000000/minute",
            },
        )
        stack.manage("migrate", "--noinput")
        stack.manage("train_default_models")
        stack.manage(
            "shell",
            "-c",
            "from articles.models import Article, Section; Article.objects.get_or_create("
            f"slug={SLUG!r}, defaults=dict(title='Faults', body='Text.', "
            "section=Section.objects.named('Kyiv'), "
            "author='Desk'))",
        )
        stack.start()
        # Each gunicorn worker answers its first request before the load starts.
        warm_up = Load(port=stack.port, marker="warm-up")
        for number in range(4):
            warm_up.post(number)
        yield Services(postgres=postgres, redis=redis, stack=stack)
    finally:
        if stack is not None:
            stack.stop()
        redis.destroy()
        postgres.destroy()


def _wait_until_scored(services: Services, ids: list[int], within: float) -> None:
    deadline = time.monotonic() + within
    remaining = -1
    while time.monotonic() < deadline:
        try:
            [(remaining,)] = services.query(
                "SELECT count(*) FROM moderation_comment WHERE id = ANY(%s) AND scored_at IS NULL",
                ids,
            )
        except Exception:  # the database may still be coming back
            remaining = -1
        if remaining == 0:
            return
        time.sleep(1)
    logs = {name: services.stack.log(name)[-3000:] for name in ("scoring", "beat")}
    pytest.fail(f"{remaining} comments still unscored after {within:.0f} s; logs: {logs}")


def _assert_nothing_lost_and_each_scored_once(
    services: Services, load: Load, within: float = SCORED_WITHIN
) -> None:
    ids = sorted(load.accepted)
    assert ids, f"no comment was accepted: {dict(load.statuses)}"
    [(stored,)] = services.query("SELECT count(*) FROM moderation_comment WHERE id = ANY(%s)", ids)
    assert stored == len(ids), "a comment answered 201 is missing"
    [(extra,)] = services.query(
        "SELECT count(*) FROM moderation_comment WHERE body LIKE %s AND NOT (id = ANY(%s))",
        f"{load.marker} %",
        ids,
    )
    assert extra == 0, "a comment was saved although its request failed"
    _wait_until_scored(services, ids, within)
    duplicates = services.query(
        "SELECT comment_id, action, count(*) FROM moderation_moderationevent "
        "WHERE comment_id = ANY(%s) GROUP BY comment_id, action HAVING count(*) > 1",
        ids,
    )
    assert duplicates == [], "an event was written twice (scored twice?)"
    [(scored_events,)] = services.query(
        "SELECT count(*) FROM moderation_moderationevent "
        "WHERE comment_id = ANY(%s) AND action = 'scored'",
        ids,
    )
    assert scored_events == len(ids)


def test_a_worker_killed_during_load_loses_nothing(services):
    stack = services.stack
    load = Load(port=stack.port, marker="kill-worker").start()
    try:
        time.sleep(2)
        stack.kill("scoring")
        time.sleep(2)
    finally:
        if not stack.is_running("scoring"):
            stack.start("scoring")
        time.sleep(2)
        load.stop()
    assert set(load.statuses) == {201}, dict(load.statuses)
    _assert_nothing_lost_and_each_scored_once(services, load)


def test_a_redis_restart_during_load_loses_nothing(services):
    load = Load(port=services.stack.port, marker="restart-redis").start()
    try:
        time.sleep(2)
        services.redis.stop()
        time.sleep(2)
    finally:
        if not services.redis.is_running():
            services.redis.start()
        time.sleep(3)
        load.stop()
    # The broker being away never costs a reader their comment.
    assert set(load.statuses) == {201}, dict(load.statuses)
    _assert_nothing_lost_and_each_scored_once(services, load)


def test_a_postgres_restart_during_load_answers_503_and_loses_nothing(services):
    load = Load(port=services.stack.port, marker="restart-postgres").start()
    try:
        time.sleep(2)
        services.postgres.stop(mode="fast")
        time.sleep(3)
    finally:
        if not services.postgres.is_running():
            services.postgres.start()
        time.sleep(3)
        load.stop()
    assert 500 not in load.statuses, dict(load.statuses)
    assert set(load.statuses) <= {201, 503}, dict(load.statuses)
    assert load.statuses[503] > 0, "the outage was not seen by any request"
    _assert_nothing_lost_and_each_scored_once(services, load)


def test_a_full_restart_with_a_queue_of_10000_comments_loses_nothing(services):
    stack = services.stack
    stack.stop("scoring")
    load = Load(port=stack.port, marker="full-restart", threads=8, pause=0)
    try:
        load.start(limit=QUEUE_FILL)
        load.join(timeout=600)
        assert load.statuses[201] == QUEUE_FILL, dict(load.statuses)
        stack.stop()
        services.redis.stop()
        services.postgres.stop(mode="fast")
        services.postgres.start()
        services.redis.start()
    finally:
        load.stop()
        if not services.postgres.is_running():
            services.postgres.start()
        if not services.redis.is_running():
            services.redis.start()
        stack.start()
    _assert_nothing_lost_and_each_scored_once(services, load, within=QUEUE_SCORED_WITHIN)
