"""Where a comment POST (or a cached list GET) spends its time: cProfile in-process.

    python bench/request_profile.py [--get] [--requests 2000] [--top 25] [--json]

Runs the WSGI application in this process on production settings against a PostgreSQL
database it creates (BENCH_DB_PREFIX + "_profile", dropped at the end) and Redis
(BENCH_REDIS, the two BENCH_REDIS_DBS flushed: broker, cache), so the figures include
the database and Redis round trips but no HTTP server or client. Prints the mean wall
and CPU time per request, the SQL statements of one request with their times, the top
functions by cumulative CPU time, and an EXPLAIN ANALYZE of the comment's INSERT.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stack import COMMENT_URL, production_env  # noqa: E402

PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
DATABASE = os.environ.get("BENCH_DB_PREFIX", "newsroom_bench") + "_profile"
REDIS_DBS = [int(n) for n in os.environ.get("BENCH_REDIS_DBS", "12,13").split(",")]


def _psql(database: str, sql: str) -> None:
    subprocess.run(["psql", f"{PG}/{database}", "-qAtc", sql], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--get", action="store_true", help="profile the cached list's GET")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    _psql("postgres", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _psql("postgres", f"CREATE DATABASE {DATABASE}")
    for db in REDIS_DBS:
        subprocess.run(["redis-cli", "-n", str(db), "FLUSHDB"], check=True, capture_output=True)
    os.environ.update(production_env(cache_url=f"{REDIS}/{REDIS_DBS[1]}"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
            "DATABASE_URL": f"{PG}/{DATABASE}",
            "CELERY_BROKER_URL": f"{REDIS}/{REDIS_DBS[0]}",
            "THROTTLE_COMMENT_SUBMIT": "1000000/minute",
            "THROTTLE_PUBLIC_WRITE": "1000000/minute",
            "THROTTLE_PUBLIC_READ": "1000000/minute",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from articles.models import Article, Section

    try:
        call_command("migrate", "--noinput", verbosity=0)
        Article.objects.create(
            slug="profile-target",
            title="Profiled",
            body="Text.",
            section=Section.objects.named("Kyiv"),
            author="Desk",
        )
        client = Client(REMOTE_ADDR="127.0.0.1", HTTP_HOST="127.0.0.1")
        path = COMMENT_URL.format(slug="profile-target")

        def post(number: int) -> None:
            body = {"author_name": "Bench", "body": f"Profiled comment {number} on the repairs."}
            response = client.post(path, body, content_type="application/json")
            assert response.status_code == 201, response.content

        def get(number: int) -> None:
            response = client.get(path)
            assert response.status_code == 200, response.content

        for number in range(50):  # warm: connections, caches, imports
            post(number)
            get(number)
        measured = get if args.get else post
        # (Django's query log is reset when a request starts: a wrapper sees every statement.)
        statements: list[dict[str, object]] = []

        def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                cursor = context["cursor"]
                statements.append(
                    {
                        "sql": connection.ops.last_executed_query(cursor, sql, params),
                        "ms": (time.perf_counter() - started) * 1000,
                    }
                )

        with connection.execute_wrapper(record):
            measured(-1)
        # CPU time, not wall time: on a shared machine the waits are someone else's.
        profiler = cProfile.Profile(time.process_time)
        started, cpu_started = time.perf_counter(), time.process_time()
        profiler.enable()
        for number in range(args.requests):
            measured(number + 1000)
        profiler.disable()
        per_request_ms = (time.perf_counter() - started) * 1000 / args.requests
        cpu_ms = (time.process_time() - cpu_started) * 1000 / args.requests
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(args.top)
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            insert = next(
                (
                    str(q["sql"])
                    for q in statements
                    if str(q["sql"]).startswith('INSERT INTO "moderation_comment" ')
                ),
                None,
            )
            plan = []
            if insert is not None:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS, WAL) " + insert)
                plan = [row[0] for row in cursor.fetchall()]
            cursor.execute("ROLLBACK")
        report = {
            "requests": args.requests,
            "per_request_ms": round(per_request_ms, 3),
            "cpu_ms": round(cpu_ms, 3),
            "load_average": os.getloadavg()[0],
            "statements": [
                {"sql": str(q["sql"])[:160], "ms": round(float(q["ms"]), 3)} for q in statements
            ],
            "insert_plan": plan,
        }
        if args.json:
            print(json.dumps(report))
        else:
            print(
                f"{args.requests} {'GETs' if args.get else 'POSTs'} in-process: "
                f"{per_request_ms:.2f} ms each (mean wall), "
                f"{cpu_ms:.2f} ms CPU; load average {os.getloadavg()[0]:.1f}\n"
            )
            print(f"SQL statements of one request ({len(statements)}):")
            for q in statements:
                print(f"  {float(q['ms']):6.2f} ms  {str(q['sql'])[:150]}")
            print("\nEXPLAIN ANALYZE of the INSERT:\n  " + "\n  ".join(plan))
            print(out.getvalue())
    finally:
        connection.close()
        if not args.keep:
            _psql("postgres", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    main()
