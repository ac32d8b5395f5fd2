"""Where a comment POST (or a cached list GET) spends its time: cProfile in-process.

    python bench/request_profile.py [--get] [--requests 2000] [--top 25] [--json] [--stages]

Runs the WSGI application in this process on production settings against a PostgreSQL
database it creates (BENCH_DB_PREFIX + "_profile", dropped at the end) and Redis
(BENCH_REDIS, the two BENCH_REDIS_DBS flushed: broker, cache), so the figures include
the database and Redis round trips but no HTTP server or client. Prints the mean wall
and CPU time per request, the SQL statements of one request with their times, the top
functions by cumulative CPU time, and an EXPLAIN ANALYZE of the comment's INSERT.
`--stages` adds the CPU per request of the POST's stages (STAGES), the table in
docs/benchmarks.md; `--pstats FILE` keeps the raw profile.
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

# A comment POST's stages: (label, file path ending, function), each its cumulative CPU.
# Stages nest (the view holds the validation and the service; the request holds all).
STAGES = [
    ("whole request (WSGI handler)", "django/core/handlers/base.py", "get_response"),
    ("DRF dispatch", "rest_framework/views.py", "dispatch"),
    ("  throttle check (Redis)", "rest_framework/views.py", "check_throttles"),
    ("  view's post()", "moderation/api/views/public.py", "post"),
    ("    input serializer is_valid", "rest_framework/serializers.py", "is_valid"),
    ("    comment_submit", "moderation/services.py", "comment_submit"),
    ("      INSERT via QuerySet.create", "django/db/models/query.py", "create"),
    ("      INSERT via one statement", "moderation/comment_insert.py", "comment_insert_with_event"),
    ("    session read", "django/contrib/sessions/backends/db.py", "load"),
    ("  COMMIT", "django/db/backends/base/base.py", "commit"),
    ("  task publish (on commit)", "moderation/queueing.py", "enqueue_classification"),
    ("  response rendering", "rest_framework/response.py", "rendered_content"),
    ("session save (middleware)", "django/contrib/sessions/backends/db.py", "save"),
    ("DRF serializer field copies", "rest_framework/serializers.py", "fields"),
]


def stage_times(stats: pstats.Stats, requests: int) -> list[tuple[str, float]]:
    """Each stage's cumulative CPU ms per request (0 when the stage never ran)."""
    totals = dict.fromkeys((label for label, _, _ in STAGES), 0.0)
    for (filename, _line, function), row in stats.stats.items():  # type: ignore[attr-defined]
        for label, path, name in STAGES:
            if function == name and filename.endswith(path):
                totals[label] += row[3] * 1000 / requests
    return list(totals.items())


def _psql(database: str, sql: str) -> None:
    subprocess.run(["psql", f"{PG}/{database}", "-qAtc", sql], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--get", action="store_true", help="profile the cached list's GET")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    parser.add_argument("--stages", action="store_true", help="CPU per stage of the POST")
    parser.add_argument("--pstats", help="write the raw profile to this file")
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
        if args.pstats:
            stats.dump_stats(args.pstats)
        stages = stage_times(stats, args.requests) if args.stages else []
        with connection.cursor() as cursor:
            cursor.execute("BEGIN")
            insert = next(
                (
                    str(q["sql"])
                    for q in statements
                    # The ORM's INSERT, or the one statement with the event's.
                    if str(q["sql"]).startswith(
                        ('INSERT INTO "moderation_comment" ', "WITH new_comment AS (INSERT")
                    )
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
            "stages_cpu_ms": {label: round(ms, 3) for label, ms in stages},
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
            if stages:
                print("\nCPU per request by stage (cumulative, ms):")
                for label, ms in stages:
                    print(f"  {ms:7.2f}  {label}")
            print(out.getvalue())
    finally:
        connection.close()
        if not args.keep:
            _psql("postgres", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    main()
