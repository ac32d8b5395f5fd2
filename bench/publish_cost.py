"""CPU per call of the ways a web process can hand a comment to scoring (Redis, in-process).

    python bench/publish_cost.py [--calls 2000] [--json]

- send_task: Celery's publish of classify_comment, as the one-task-per-comment hand-off;
- lean LPUSH: the floor of a hand-built publish, a Celery protocol-2 message (a fresh
  id, JSON body, base64) pushed with one LPUSH on a kept connection, what a leaner
  publisher could at best cost;
- flag SET NX: the coalesced hand-off when a run is already wanted (one round trip
  through the cache, moderation.scoring_wanted).

Everything goes to a queue and a key nobody reads (deleted afterwards), on BENCH_REDIS
with BENCH_REDIS_DBS (broker, cache), production settings.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stack import production_env  # noqa: E402

REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
REDIS_DBS = [int(n) for n in os.environ.get("BENCH_REDIS_DBS", "12,13").split(",")]
QUEUE = "bench-publish-cost"


def cpu_per_call(calls: int, call: Callable[[int], object]) -> float:
    for number in range(50):  # warm: connections, imports
        call(number)
    started = time.process_time()
    for number in range(calls):
        call(number)
    return (time.process_time() - started) * 1000 / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.update(production_env(cache_url=f"{REDIS}/{REDIS_DBS[1]}"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
            "CELERY_BROKER_URL": f"{REDIS}/{REDIS_DBS[0]}",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    import redis
    from celery import current_app
    from django.core.cache import caches

    from moderation.queueing import CLASSIFY_COMMENT
    from moderation.scoring_wanted import FLAG_KEY, scoring_wanted_raise

    broker = redis.Redis.from_url(f"{REDIS}/{REDIS_DBS[0]}")

    def send_task(number: int) -> object:
        return current_app.send_task(CLASSIFY_COMMENT, args=(number,), queue=QUEUE)

    def lean_lpush(number: int) -> object:
        task_id = str(uuid.uuid4())
        body = json.dumps([[number], {}, {"callbacks": None, "errbacks": None}]).encode()
        message = {
            "body": base64.b64encode(body).decode(),
            "content-encoding": "utf-8",
            "content-type": "application/json",
            "headers": {"lang": "py", "task": CLASSIFY_COMMENT, "id": task_id, "retries": 0},
            "properties": {
                "correlation_id": task_id,
                "delivery_tag": str(uuid.uuid4()),
                "body_encoding": "base64",
                "delivery_info": {"exchange": "", "routing_key": QUEUE},
            },
        }
        return broker.lpush(QUEUE, json.dumps(message))

    def flag_up(number: int) -> object:
        return scoring_wanted_raise()

    try:
        scoring_wanted_raise()  # up, as while a run is wanted: every call finds it so
        report = {
            "calls": args.calls,
            "send_task_cpu_ms": round(cpu_per_call(args.calls, send_task), 3),
            "lean_lpush_cpu_ms": round(cpu_per_call(args.calls, lean_lpush), 3),
            "flag_set_nx_cpu_ms": round(cpu_per_call(args.calls, flag_up), 3),
            "load_average": os.getloadavg()[0],
        }
    finally:
        broker.delete(QUEUE)
        caches["default"].delete(FLAG_KEY)
    if args.json:
        print(json.dumps(report))
        return
    for key, value in report.items():
        print(f"{key:24} {value}")


if __name__ == "__main__":
    main()
