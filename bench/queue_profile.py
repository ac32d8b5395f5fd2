"""Where a moderation queue page spends its time: CPU per request, in-process.

    python bench/queue_profile.py [--requests 200] [--top 20] [--json]

Runs the WSGI application in this process on production settings against the database
`bench/api_queue.py --keep` leaves (BENCH_DB_PREFIX + "_api", default
`newsroom_bench_api`) and Redis (CACHE_URL, default redis://127.0.0.1:6379/8), with the
bench moderator's token. For the first page of the pending queue and the filtered page
(`section=Politics&spam_score_min=0.6`, as api_queue.py times them) it prints the mean
CPU and wall time per request, the SQL statements of one request with their times, and
the top functions by cumulative CPU time. CPU time, not wall time, is the figure to
compare on a shared machine: the waits are someone else's.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import json
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stack import production_env  # noqa: E402

PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_DB_PREFIX", "newsroom_bench") + "_api"
QUEUE = "/api/v1/moderation/queue/"
PAGES = {"first": QUEUE, "filtered": f"{QUEUE}?section=Politics&spam_score_min=0.6"}


def statements_of(request: Any, connection: Any) -> list[dict[str, Any]]:
    """The SQL statements one request runs, with their times."""
    statements: list[dict[str, Any]] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = round((time.perf_counter() - started) * 1000, 2)
            statements.append({"sql": sql[:140], "ms": ms})

    with connection.execute_wrapper(record):
        request()
    return statements


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    os.environ.update(
        production_env(cache_url=os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/8"))
    )
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
            "DATABASE_URL": f"{PG}/{DATABASE}",
            "DATABASE_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    token = Token.objects.get(user__username="bench-moderator").key
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Token {token}")

    def get(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, response.content[:300]

    report: dict[str, Any] = {}
    for name, path in PAGES.items():
        for _ in range(20):  # warm: connections, caches, plans
            get(path)
        statements = statements_of(functools.partial(get, path), connection)
        profiler = cProfile.Profile(time.process_time)
        started, cpu_started = time.perf_counter(), time.process_time()
        profiler.enable()
        for _ in range(args.requests):
            get(path)
        profiler.disable()
        profiled_cpu = (time.process_time() - cpu_started) * 1000 / args.requests
        profiled_wall = (time.perf_counter() - started) * 1000 / args.requests
        # Without the profiler's own overhead: the figure to compare.
        plain_started = time.process_time()
        for _ in range(args.requests):
            get(path)
        plain_cpu = (time.process_time() - plain_started) * 1000 / args.requests
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        report[name] = {
            "cpu_ms": round(plain_cpu, 2),
            "profiled_cpu_ms": round(profiled_cpu, 2),
            "profiled_wall_ms": round(profiled_wall, 2),
            "statements": statements,
            "profile": out.getvalue(),
        }
    connection.close()
    if args.json:
        print(
            json.dumps(
                {name: {k: v for k, v in r.items() if k != "profile"} for name, r in report.items()}
            )
        )
        return
    for name, r in report.items():
        print(f"== {name}: {PAGES[name]}")
        print(f"CPU per request {r['cpu_ms']:.2f} ms (load average {os.getloadavg()[0]:.1f})")
        print(f"SQL statements of one request ({len(r['statements'])}):")
        for q in r["statements"]:
            print(f"  {q['ms']:6.2f} ms  {q['sql']}")
        print(r["profile"])


if __name__ == "__main__":
    main()
