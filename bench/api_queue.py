"""How fast the moderation queue API answers, and whether deep pages cost more than the first.

    python bench/api_queue.py --comments 1000 100000 [--requests 200] [--json]

For each size (cumulatively, smallest first) the script loads comments into a fresh
PostgreSQL database (BENCH_DB_PREFIX + "_api", default `newsroom_bench_api`, dropped
afterwards), starts the real service under gunicorn on a local port (BENCH_PORT, or a
free one), and times, over HTTP with a moderator's token:

- first:    GET /api/v1/moderation/queue/            (the pending queue, priority order)
- filtered: the same, filtered by section and a spam-score range
- deep:     a cursor page 90% of the way down the pending queue

p50 and p99 over --requests requests each, after a warm-up. Beside them, the baseline a
plain OFFSET paginator would pay for the same deep page, timed on the same database in
this process (ORM fetch only, no HTTP): the keyset page's cost should not grow with depth,
the OFFSET page's does.

--json prints one object: {"<size>": {"first_p50_ms": …, "first_p99_ms": …, …}, …}.
Needs a local PostgreSQL server (DATABASE_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres)
and Redis (CACHE_URL, default redis://127.0.0.1:6379/8).
"""

import argparse
import base64
import http.client
import io
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._comment_table import with_required  # noqa: E402
from scripts.stack import gunicorn_command, production_env  # noqa: E402

DB_NAME = os.environ.get("BENCH_DB_PREFIX", "newsroom_bench") + "_api"
ADMIN_URL = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB_URL = ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME
SECTIONS = ["Kyiv", "Politics", "Business", "Culture", "Sport", "World", "Science", "Opinion"]
ARTICLES = 200
AUTHORS = 20_000
PAGE = 50
WORDS = [
    *("bridge", "metro", "repairs", "council", "budget", "mayor", "trains", "river", "city"),
    *("vote", "report", "thanks", "great", "article", "wrong", "fact", "check", "link"),
    *("buy", "cheap", "pills", "win", "prize", "click"),
]
# Share of comments by status: most are published, a fifth wait in the pending queue.
STATUSES = [("approved", 0.70), ("pending", 0.20), ("spam", 0.08), ("rejected", 0.02)]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def env() -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "DATABASE_URL": DB_URL,
        "DATABASE_CONN_MAX_AGE": "60",
        **production_env(cache_url=os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/8")),
        "LOG_LEVEL": "WARNING",
    }


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def create_database() -> None:
    admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin(f"CREATE DATABASE {DB_NAME}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env(),
        check=True,
    )


def setup_django() -> None:
    os.environ.update(env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed_people_and_articles() -> str:
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    from articles.models import Article, Section
    from moderation.roles import MODERATORS, ensure_role

    # Signs in with a token only.
    user = User.objects.create_user("bench-moderator")
    user.groups.add(ensure_role(MODERATORS))
    sections = [Section.objects.named(name) for name in SECTIONS]
    Article.objects.bulk_create(
        Article(
            slug=f"article-{i}",
            title=f"Article {i}",
            body="One.\n\nTwo.",
            section=sections[i % len(SECTIONS)],
            author="Bench",
        )
        for i in range(ARTICLES)
    )
    return Token.objects.create(user=user).key


def load_comments(start: int, stop: int, rng: random.Random) -> None:
    """COPY comments start..stop-1 in; statuses, scores and ages drawn at random."""
    import psycopg

    from articles.models import Article
    from moderation.policy import site_policy

    policy = site_policy()
    article_ids = list(Article.objects.values_list("id", flat=True))
    names, weights = zip(*STATUSES, strict=True)
    now = time.time()
    columns = [
        *("article_id", "author_name", "author_email", "body", "author_spoiler_tag", "status"),
        *("is_spoiler", "spam_score", "spoiler_score", "spam_model_version"),
        *("spoiler_model_version", "explanation", "scored_at", "uncertainty", "user_agent"),
        *("referrer", "reports_count", "created_at", "updated_at"),
    ]
    explanation = json.dumps({"spam": [{"feature": "word: cheap", "weight": 0.8}], "spoiler": []})
    with psycopg.connect(DB_URL) as conn, conn.cursor() as cur:
        # COPY into a staging table of the drawn columns, then INSERT with a neutral value
        # for every other column the table requires: a migration that adds a NOT NULL
        # column does not break the load.
        drawn = ", ".join(columns)
        cur.execute(
            f"CREATE TEMP TABLE bench_rows ON COMMIT DROP AS "
            f"SELECT {drawn} FROM moderation_comment WITH NO DATA"
        )
        with cur.copy(f"COPY bench_rows ({drawn}) FROM STDIN") as copy:
            for i in range(start, stop):
                status = rng.choices(names, weights)[0]
                spam = round(rng.random(), 6)
                spoiler = round(rng.random(), 6)
                uncertainty = round(policy.uncertainty(spam), 6)
                # Spread over a year, with many sharing a second, as real bursts do.
                created = now - rng.randrange(365 * 86400)
                stamp = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(created))
                body = " ".join(rng.choices(WORDS, k=rng.randint(5, 40)))
                copy.write_row(
                    (
                        rng.choice(article_ids),
                        f"Reader {i % AUTHORS}",
                        f"reader{rng.randrange(AUTHORS)}@example.org",
                        body,
                        False,
                        status,
                        spoiler > 0.9,
                        spam,
                        spoiler,
                        "spam-bench",
                        "spoiler-bench",
                        explanation,
                        stamp,
                        uncertainty,
                        "Mozilla/5.0 bench",
                        "",
                        1 if rng.random() < 0.01 else 0,
                        stamp,
                        stamp,
                    )
                )
        target, values = with_required(
            {name: name for name in columns},
            lambda sql: "\n".join("|".join(map(str, row)) for row in conn.execute(sql)),
        )
        cur.execute(f"INSERT INTO moderation_comment ({target}) SELECT {values} FROM bench_rows")
        conn.commit()
        # Statistics and the visibility map as autovacuum leaves them in production (since
        # PostgreSQL 13 it also vacuums after bulk inserts): without the map an index-only
        # scan visits the table for every row, as it would only on a freshly loaded copy.
        conn.autocommit = True
        conn.execute("VACUUM (ANALYZE)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [*gunicorn_command(port), "--log-level", "warning"],
        cwd=ROOT,
        env=env(),
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("gunicorn did not start")


def get(port: int, path: str, token: str) -> tuple[float, dict[str, Any]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.perf_counter()
    conn.request("GET", path, headers={"Authorization": f"Token {token}"})
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {body[:300]!r}")
    return elapsed, json.loads(body)


def timings(
    port: int, paths: dict[str, str], token: str, requests: int
) -> dict[str, dict[str, float]]:
    """p50 and p99 per path, the paths taken in turn so that other work on the machine
    weighs on each of them alike."""
    for _ in range(10):
        for path in paths.values():
            get(port, path, token)
    samples: dict[str, list[float]] = {name: [] for name in paths}
    for _ in range(requests):
        for name, path in paths.items():
            samples[name].append(get(port, path, token)[0])
    figures = {}
    for name, values in samples.items():
        cuts = statistics.quantiles(values, n=100, method="inclusive")
        figures[name] = {"p50": statistics.median(values), "p99": cuts[98]}
    return figures


def deep_cursor() -> tuple[str, int]:
    """The cursor of the page 90% of the way down the pending queue, as `next` would carry."""
    from moderation.models import Comment

    pending = Comment.objects.filter(status="pending")
    count = pending.count()
    # 90% of the way down, but leaving a full page below it.
    depth = max(0, min(int(count * 0.9), count - PAGE - 1))
    row = pending.order_by("-uncertainty", "created_at", "id")[depth]
    payload = {
        "o": "priority",
        "v": [row.uncertainty, row.created_at.isoformat(), row.pk],
        "r": False,
    }
    token = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode())
    return token.decode(), depth


def db_page_ms(depth: int, cursor: str, repeats: int = 20) -> dict[str, float]:
    """The deep page fetched by keyset and by OFFSET, in-process: the baseline beside ours."""
    from django.test import RequestFactory

    from moderation.api.views.desk import QueueView, desk_comments
    from moderation.selectors import QUEUES
    from newsroom.api.pagination import KeysetPagination

    view = QueueView()
    queryset = desk_comments().filter(QUEUES["pending"])

    def keyset() -> None:
        request = QueueView().initialize_request(
            RequestFactory(SERVER_NAME="localhost").get("/", {"cursor": cursor})
        )
        KeysetPagination().paginate_queryset(queryset, request, view)

    def offset() -> None:
        list(queryset.order_by("-uncertainty", "created_at", "id")[depth : depth + PAGE])

    figures = {}
    for name, fetch in (("keyset", keyset), ("offset", offset)):
        fetch()
        samples: list[float] = []
        # Stop after ten seconds (one sample at least): deep OFFSET pages get slow.
        while len(samples) < repeats and (not samples or sum(samples) < 10_000):
            started = time.perf_counter()
            fetch()
            samples.append((time.perf_counter() - started) * 1000)
        figures[name] = statistics.median(samples)
    return figures


def run(sizes: list[int], requests: int, *, keep: bool = False) -> dict[str, dict[str, float]]:
    rng = random.Random(20261127)
    results: dict[str, dict[str, float]] = {}
    log(f"creating {DB_NAME}")
    create_database()
    setup_django()
    token = seed_people_and_articles()
    loaded = 0
    try:
        for size in sorted(sizes):
            started = time.perf_counter()
            load_comments(loaded, size, rng)
            log(f"loaded {size - loaded} comments in {time.perf_counter() - started:.1f} s")
            loaded = size
            cursor, depth = deep_cursor()
            port = int(os.environ.get("BENCH_PORT", 0)) or free_port()
            server = start_gunicorn(port)
            try:
                queue = "/api/v1/moderation/queue/"
                measured = timings(
                    port,
                    {
                        "first": queue,
                        "filtered": f"{queue}?section=Politics&spam_score_min=0.6",
                        "deep": f"{queue}?cursor={cursor}",
                    },
                    token,
                    requests,
                )
                first, filtered, deep = (measured[k] for k in ("first", "filtered", "deep"))
                _, page = get(port, f"{queue}?cursor={cursor}", token)
                assert page["results"], "the deep page is empty"
            finally:
                server.terminate()
                server.wait(timeout=30)
            baseline = db_page_ms(depth, cursor)
            results[str(size)] = {
                "first_p50_ms": round(first["p50"], 2),
                "first_p99_ms": round(first["p99"], 2),
                "filtered_p50_ms": round(filtered["p50"], 2),
                "filtered_p99_ms": round(filtered["p99"], 2),
                "deep_p50_ms": round(deep["p50"], 2),
                "deep_p99_ms": round(deep["p99"], 2),
                "deep_depth": depth,
                "db_keyset_deep_ms": round(baseline["keyset"], 2),
                "db_offset_deep_ms (baseline)": round(baseline["offset"], 2),
                # Other work on the machine shows up in the tail latencies: say how much.
                "load_avg_1m": round(os.getloadavg()[0], 2),
            }
            log(f"{size}: {results[str(size)]}")
    finally:
        from django.db import connections

        connections.close_all()
        if not keep:
            admin(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    return results


def table(results: dict[str, dict[str, float]]) -> str:
    out = io.StringIO()
    out.write(
        f"{'comments':>10} {'first p50':>10} {'first p99':>10} {'filt p99':>9} "
        f"{'deep p99':>9} {'deep/first':>10} {'keyset deep':>12} {'OFFSET deep':>12}\n"
    )
    for size, r in results.items():
        ratio = r["deep_p99_ms"] / r["first_p99_ms"]
        out.write(
            f"{int(size):>10,} {r['first_p50_ms']:>8.1f}ms {r['first_p99_ms']:>8.1f}ms "
            f"{r['filtered_p99_ms']:>7.1f}ms {r['deep_p99_ms']:>7.1f}ms {ratio:>10.2f} "
            f"{r['db_keyset_deep_ms']:>10.1f}ms {r['db_offset_deep_ms (baseline)']:>10.1f}ms\n"
        )
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--keep", action="store_true", help=f"keep {DB_NAME} to look into")
    args = parser.parse_args()
    results = run(args.comments, args.requests, keep=args.keep)
    print(json.dumps(results) if args.json else table(results))


if __name__ == "__main__":
    main()
