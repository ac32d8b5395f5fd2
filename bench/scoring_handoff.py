"""What handing comments to scoring costs: the web side's publishing and the worker's tasks.

For each hand-off, one task per comment (SCORING_COALESCE off: classify_comment) and
coalesced (on: the shared flag, score_waiting), against one real scoring worker process
(scripts/stack.py, production settings) on PostgreSQL and Redis: a burst of --comments
submitted in this process as fast as it goes (comment_submit, the POST's service, with
the same after-commit hand-off), then a wait until every one is scored and the worker
has taken every task. Prints, per hand-off: the CPU this process spent handing off per
comment, the tasks published, the wall time until the last comment was scored and until
the queue was drained, and the scoring worker's CPU seconds until then.

    python bench/scoring_handoff.py [--comments 1000] [--rounds 2] [--json]

Environment as bench/load.py: BENCH_POSTGRES, BENCH_DB_PREFIX (database
<prefix>_handoff, dropped at the end), BENCH_REDIS, BENCH_REDIS_DBS (broker, cache:
both flushed), BENCH_PORT_BASE; BENCH_LOG_DIR keeps the worker's log there.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from load import DB_PREFIX, PG, REDIS, REDIS_DBS, next_port, psql  # noqa: E402
from scale import cpu_seconds, role_pids  # noqa: E402

from scripts.stack import Stack, production_env  # noqa: E402

DATABASE = f"{DB_PREFIX}_handoff"
HANDOFFS = {"one task per comment": False, "coalesced": True}


def burst(article: Any, coalesce: bool, comments: int, stack: Stack, tag: str) -> dict[str, Any]:
    from django.conf import settings

    from moderation import queueing, services
    from moderation.models import Comment

    settings.SCORING_COALESCE = coalesce
    published: list[str] = []
    handoff_cpu = 0.0
    enqueue, publish = queueing.enqueue_classification, queueing.publish_quietly

    def timed_enqueue(comment_id: int) -> None:
        nonlocal handoff_cpu
        started = time.process_time()
        enqueue(comment_id)
        handoff_cpu += time.process_time() - started

    def counted_publish(task_name: str, *args: object, **kwargs: object) -> bool:
        published.append(task_name)
        return publish(task_name, *args, **kwargs)

    services.enqueue_classification = timed_enqueue  # type: ignore[assignment]
    queueing.publish_quietly = counted_publish  # type: ignore[assignment]
    pids = role_pids(stack, "scoring")
    worker_before = cpu_seconds(pids)
    started = time.monotonic()
    try:
        for i in range(comments):
            services.comment_submit(
                article=article, author_name="Bench", body=f"{tag} comment {i} on the repairs."
            )
    finally:
        services.enqueue_classification = enqueue
        queueing.publish_quietly = publish
    submitted = time.monotonic() - started
    waiting = Comment.objects.filter(body__startswith=f"{tag} ", scored_at=None)
    while waiting.exists():
        if time.monotonic() - started > 600:
            raise SystemExit(f"{waiting.count()} comments still unscored after 600 s")
        time.sleep(0.1)
    all_scored = time.monotonic() - started
    # The tasks left once every comment is scored still cost the worker a delivery and a
    # query each: the burst ends when the worker has taken them all.
    wait_drained(stack.broker_url)
    return {
        "handoff_cpu_ms_per_comment": round(handoff_cpu * 1000 / comments, 3),
        "tasks_published": len(published),
        "submit_seconds": round(submitted, 2),
        "all_scored_seconds": round(all_scored, 2),
        "queue_drained_seconds": round(time.monotonic() - started, 2),
        "worker_cpu_s": round(cpu_seconds(pids) - worker_before, 2),
    }


def wait_drained(broker_url: str) -> None:
    """Until the scoring queue is empty and the worker holds no task (Redis transport;
    the tasks acknowledge late, so a task is in `unacked` until it has run)."""
    import redis

    broker = redis.Redis.from_url(broker_url)
    while broker.llen("scoring") or broker.hlen("unacked"):
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2, help="medians over this many bursts")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    psql("postgres", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {DATABASE}")
    for db in REDIS_DBS:
        subprocess.run(["redis-cli", "-n", str(db), "FLUSHDB"], check=True, capture_output=True)
    env = production_env(cache_url=f"{REDIS}/{REDIS_DBS[1]}")
    stack = Stack(
        log_dir=os.environ.get("BENCH_LOG_DIR") or None,
        database_url=f"{PG}/{DATABASE}",
        broker_url=f"{REDIS}/{REDIS_DBS[0]}",
        port=next_port(),
        processes=("scoring",),
        settings="newsroom.settings.production",
        env=env,
    )
    os.environ.update(
        {
            **env,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
            "DATABASE_URL": stack.database_url,
            "CELERY_BROKER_URL": stack.broker_url,
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from articles.models import Article, Section

    report: dict[str, Any] = {"comments": args.comments, "rounds": args.rounds}
    try:
        stack.manage("migrate", "--noinput")
        stack.manage("train_default_models")
        article = Article.objects.create(
            slug="handoff", title="Hand-off", body="Text.", section=Section.objects.named("Kyiv")
        )
        stack.start()
        burst(article, True, 20, stack, "warm")  # the worker loads its models
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in HANDOFFS}
        for round_number in range(args.rounds):
            for name, coalesce in HANDOFFS.items():
                tag = f"r{round_number}-{'c' if coalesce else 'o'}"
                rows[name].append(burst(article, coalesce, args.comments, stack, tag))
        report["bursts"] = rows
        report["handoffs"] = {
            name: {key: statistics.median(row[key] for row in runs) for key in runs[0]}
            for name, runs in rows.items()
        }
        report["load_average"] = os.getloadavg()[0]
    finally:
        stack.stop()
        from django.db import connection

        connection.close()
        psql("postgres", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    if args.json:
        print(json.dumps(report))
        return
    print(
        f"A burst of {args.comments} comments submitted in-process, one scoring worker; "
        f"medians of {args.rounds}; load average {report['load_average']:.1f}"
    )
    keys = list(next(iter(report["handoffs"].values())))
    print(f"{'':28}" + "".join(f"{key:>28}" for key in keys))
    for name, figures in report["handoffs"].items():
        print(f"{name:28}" + "".join(f"{figures[key]:>28}" for key in keys))


if __name__ == "__main__":
    main()
