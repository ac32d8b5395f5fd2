"""Which serverless broker transport for the embedded default (`make run`)?

For each transport: a fresh SQLite database under a temporary directory, a real Celery
scoring worker (scripts/stack.py), N comments created at once and N classify_comment
tasks published; measures the publish time per task (what a reader's request pays), the
time until every comment is scored, and the pickup latency of single tasks on an idle
worker. Redis runs beside them as the production baseline when it answers.

    python bench/broker_transport.py --tasks 500 [--single 20] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# name: (broker URL, worker prefetch multiplier)
TRANSPORTS = {
    "sqla+sqlite, prefetch 8": ("sqla+sqlite:///{var}/broker.sqlite3", 8),
    "filesystem, prefetch 8": ("filesystem://", 8),
    "filesystem, prefetch 1": ("filesystem://", 1),
    "redis (baseline), 1": ("redis://127.0.0.1:6379/13", 1),
}


def run_one(broker_url: str, prefetch: int, tasks: int, single: int) -> dict[str, float]:
    var = tempfile.mkdtemp(prefix="bench-broker-")
    broker_url = broker_url.format(var=var)
    os.environ.update(
        {
            "CELERY_WORKER_PREFETCH_MULTIPLIER": str(prefetch),
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
            "DEBUG": "false",
            "NEWSROOM_VAR_DIR": var,
            "DATABASE_URL": f"sqlite:///{var}/newsroom.sqlite3",
            "CELERY_BROKER_URL": broker_url,
            # INFO: the stack knows the worker is up by its "ready." line.
            "LOG_LEVEL": "INFO",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from articles.models import Article, Section
    from moderation.models import Comment
    from moderation.tasks import classify_comment
    from newsroom.celery import app
    from scripts.stack import Stack

    call_command("migrate", verbosity=0)
    call_command("train_default_models", stdout=open(os.devnull, "w"))  # noqa: SIM115
    if broker_url.startswith("redis"):
        app.connection_for_write().default_channel.client.flushdb()
    article = Article.objects.create(
        slug="bench", title="Bench", body="Text", section=Section.objects.named("S")
    )

    def make(n: int) -> list[int]:
        rows = Comment.objects.bulk_create(
            Comment(article=article, author_name="Bench", body=f"Comment number {i} on repairs")
            for i in range(n)
        )
        return [c.pk for c in rows]

    def wait_scored(ids: list[int]) -> float:
        deadline = time.monotonic() + 60 + len(ids) / 2
        while Comment.objects.filter(pk__in=ids, scored_at__isnull=True).exists():
            if time.monotonic() > deadline:
                raise TimeoutError("comments left unscored")
            time.sleep(0.02)
        return time.monotonic()

    with Stack(processes=("scoring",), log_dir=Path(var) / "log"):
        # Warm up: the worker loads the models on its first task.
        ids = make(1)
        classify_comment.delay(ids[0])
        wait_scored(ids)

        ids = make(tasks)
        publish = []
        started = time.monotonic()
        for pk in ids:
            t = time.perf_counter()
            classify_comment.delay(pk)
            publish.append(time.perf_counter() - t)
        published = time.monotonic()
        done = wait_scored(ids)

        pickup = []
        for pk in make(single):
            time.sleep(0.3)  # the worker is idle again
            t = time.monotonic()
            classify_comment.delay(pk)
            pickup.append(wait_scored([pk]) - t)
    return {
        "publish_ms_mean": statistics.mean(publish) * 1000,
        "publish_ms_p95": statistics.quantiles(publish, n=20)[18] * 1000,
        "publish_s": published - started,
        "drain_s": done - started,
        "tasks_per_s": tasks / (done - started),
        "single_ms_p50": statistics.median(pickup) * 1000,
        "single_ms_max": max(pickup) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--single", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--prefetch", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.prefetch, args.tasks, args.single)))
        return
    results = {}
    for name, (url, prefetch) in TRANSPORTS.items():
        out = subprocess.run(
            [sys.executable, __file__, "--one", url, "--prefetch", str(prefetch),
             "--tasks", str(args.tasks), "--single", str(args.single)],
            capture_output=True, text=True, timeout=900, check=False, cwd=ROOT,
        )  # fmt: skip
        if out.returncode != 0:
            results[name] = {"error": out.stderr.strip().splitlines()[-1:]}
            continue
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    if args.json:
        print(json.dumps(results))
        return
    print(f"{args.tasks} classify_comment tasks, one scoring worker (-c 1), SQLite database")
    header = (
        f"{'transport, prefetch':24} {'publish ms':>11} {'p95':>6} {'drain s':>8} {'tasks/s':>8}"
    )
    print(header + f" {'idle pickup p50 ms':>19} {'max':>6}")
    for name, r in results.items():
        if "error" in r:
            print(f"{name:24} failed: {r['error']}")
            continue
        print(
            f"{name:24} {r['publish_ms_mean']:11.2f} {r['publish_ms_p95']:6.2f} "
            f"{r['drain_s']:8.2f} {r['tasks_per_s']:8.0f} {r['single_ms_p50']:19.0f} "
            f"{r['single_ms_max']:6.0f}"
        )


if __name__ == "__main__":
    main()
