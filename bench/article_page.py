"""Article page under gunicorn: an article with 2,000 approved comments.

Creates its own PostgreSQL database, loads one article with N approved comments (top-level
threads, replies, a few spoilers), starts three gunicorns on free ports with the
production settings, and measures sequential GETs of, interleaved in the same run:

  page      the article page as readers get it: the first page of COMMENTS_PER_PAGE
            threads, the page of comments cached (Redis, as in production)
  uncached  the same with the cache turned off: every request renders the comments
  all       baseline: the same page and template rendering ALL comments (no pagination,
            no cache), sampled every 4th round since each request takes seconds
  static    floor: a static file served by the first gunicorn (whitenoise)

It also counts each configuration's database queries and the CPU time of one render
in-process (which other load on the machine does not inflate). Prints p50/p95/p99 and
the bar (p95 <= 150 ms for `page`); --json prints the same as JSON. The database is
dropped at the end.

    python bench/article_page.py [--comments 2000] [--requests 300] [--json]
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from scripts.stack import gunicorn_command  # noqa: E402

DB_NAME = "newsroom_bench_page"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
BAR_P95_MS = 150.0
SLUG = "bench-article"

WORDS = [
    "the", "bridge", "trains", "river", "city", "council", "repairs", "months", "mayor",
    "film", "festival", "captain", "ferry", "screening", "tickets", "night", "power",
    "outage", "budget", "hryvnias", "readers", "agree", "disagree", "really", "think",
    "should", "would", "could", "because", "however", "although", "station", "metro",
    "Kyiv", "Dnipro", "Podil", "left", "bank", "right", "weekend", "morning", "people",
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def sentence(rng: random.Random, low: int, high: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))
    return text[0].upper() + text[1:] + "."


def load(comment_count: int) -> None:
    from django.utils import timezone

    from articles.models import Article, Section
    from moderation.models import Comment

    rng = random.Random(42)
    now = timezone.now()
    article = Article.objects.create(
        slug=SLUG,
        title="Metro bridge reopens after eight months of repairs",
        standfirst="Trains cross the Dnipro again between Dnipro and Hidropark stations.",
        body="\n\n".join(sentence(rng, 40, 90) for _ in range(10)),
        section=Section.objects.named("Kyiv"),
        author="Iryna Kovalenko",
        published_at=now - timedelta(days=1),
    )
    top_count = int(comment_count * 0.7)

    def comment(i: int, parent: "Comment | None") -> Comment:
        return Comment(
            article=article,
            parent=parent,
            author_name=f"Reader {i}",
            author_email=f"reader{i}@example.org",
            body="\n\n".join(sentence(rng, 8, 40) for _ in range(rng.randint(1, 3))),
            status="approved",
            is_spoiler=rng.random() < 0.05,
            created_at=now - timedelta(minutes=comment_count - i),
        )

    threads = Comment.objects.bulk_create(comment(i, None) for i in range(top_count))
    replies: list[Comment] = []
    for i in range(top_count, comment_count):
        # Most replies answer a thread, some answer another reply.
        pool = replies if replies and rng.random() < 0.3 else threads
        replies.append(Comment.objects.bulk_create([comment(i, rng.choice(pool))])[0])


def in_process(overrides: dict[str, int], runs: int = 15) -> dict[str, float]:
    """Queries of one request (after a first, warming one) and the median CPU ms of one."""
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    url = f"/articles/{SLUG}/"
    cpu: list[float] = []
    with override_settings(**overrides):
        cache.clear()
        assert client.get(url).status_code == 200
        reset_queries()  # each request resets the log: start the capture from empty
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        queries = len(ctx.captured_queries)  # now: later requests reset the log
        for _ in range(runs):
            start = time.process_time()
            client.get(url)
            cpu.append((time.process_time() - start) * 1000)
    return {"queries": queries, "cpu_ms": round(statistics.median(cpu), 1)}


def cache_url(wanted: str) -> str:
    """The Redis cache if it answers; otherwise each worker's memory (and say so)."""
    try:
        import redis

        redis.Redis.from_url(wanted, socket_connect_timeout=1).ping()
        return wanted
    except Exception:
        print(f"(no Redis at {wanted}: each worker caches in its own memory)", file=sys.stderr)
        return ""


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*gunicorn_command(port), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )


def wait_until_up(url: str, deadline: float = 30.0) -> None:
    start = time.monotonic()
    while time.monotonic() - start < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {url} within {deadline} s")


def fetch(url: str) -> tuple[float, int]:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        body = response.read()
        assert response.status == 200
    return (time.perf_counter() - start) * 1000, len(body)


def summarise(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pct(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 2)

    return {
        "p50_ms": pct(50),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=300, help="GETs per URL")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/12")
    args = parser.parse_args()

    static_root = tempfile.mkdtemp(prefix="bench-static-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.production",
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DATABASE_CONN_MAX_AGE": "60",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        "CACHE_URL": cache_url(args.cache_url),
    }
    os.environ.update(env)
    admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    admin_sql(f"CREATE DATABASE {DB_NAME}")
    servers: list[subprocess.Popen[bytes]] = []
    try:
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        import django

        django.setup()
        from django.conf import settings
        from django.db import connections

        load(args.comments)
        per_page = settings.COMMENTS_PER_PAGE
        uncached = {"COMMENT_PAGE_CACHE_SECONDS": 0}
        everything = {"COMMENTS_PER_PAGE": 10**6, **uncached}
        measured = {
            "page": in_process({}),
            "uncached": in_process(uncached),
            "all": in_process(everything),
        }
        connections.close_all()

        ports = {name: free_port() for name in ("page", "uncached", "all")}
        servers.append(start_gunicorn(env, ports["page"]))
        for name, overrides in (("uncached", uncached), ("all", everything)):
            server_env = {**env, **{key: str(value) for key, value in overrides.items()}}
            servers.append(start_gunicorn(server_env, ports[name]))
        from django.templatetags.static import static

        urls = {name: f"http://127.0.0.1:{port}/articles/{SLUG}/" for name, port in ports.items()}
        urls["static"] = f"http://127.0.0.1:{ports['page']}{static('articles/reader.css')}"
        for url in urls.values():
            wait_until_up(url)
        sizes: dict[str, int] = {}
        for name, url in urls.items():
            for _ in range(20):  # warm-up: templates, connections, caches
                _, sizes[name] = fetch(url)
        samples: dict[str, list[float]] = {name: [] for name in urls}
        names = list(urls)
        for i in range(args.requests):
            k = i % len(names)
            for name in names[k:] + names[:k]:  # rotate so none always goes first
                # The unpaginated baseline takes seconds a request: sample it every 4th round.
                if name == "all" and i % 4:
                    continue
                elapsed, _ = fetch(urls[name])
                samples[name].append(elapsed)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=30)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 (Django may not have been set up)
            pass
        admin_sql(f"DROP DATABASE IF EXISTS {DB_NAME}")

    results = {
        "comments": args.comments,
        "requests_per_url": {name: len(samples[name]) for name in urls},
        "comments_per_page": per_page,
        "cache": "redis" if env["CACHE_URL"] else "per-worker memory",
        "bar_p95_ms": BAR_P95_MS,
        "urls": {
            name: {**summarise(samples[name]), "bytes": sizes[name], **measured.get(name, {})}
            for name in urls
        },
    }
    page_p95 = results["urls"]["page"]["p95_ms"]
    results["uncached_meets_bar"] = results["urls"]["uncached"]["p95_ms"] <= BAR_P95_MS
    results["meets_bar"] = page_p95 <= BAR_P95_MS
    results["all_over_page_p50"] = round(
        results["urls"]["all"]["p50_ms"] / results["urls"]["page"]["p50_ms"], 1
    )
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(
            f"Article page, {args.comments} approved comments, sequential GETs "
            f"{results['requests_per_url']}, gunicorn 2 workers, PostgreSQL, "
            f"cache: {results['cache']}"
        )
        header = ("p50 ms", "p95 ms", "p99 ms", "mean")
        print(
            f"{'url':<10}"
            + "".join(f"{h:>9}" for h in header)
            + f"{'KiB':>7}{'queries':>9}{'cpu ms':>8}"
        )
        for name, row in results["urls"].items():
            print(
                f"{name:<10}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}"
                f"{row['mean_ms']:>9}{row['bytes'] / 1024:>7.0f}"
                f"{row.get('queries', '-'):>9}{row.get('cpu_ms', '-'):>8}"
            )
        verdict = "meets" if results["meets_bar"] else "MISSES"
        print(f"page p95 {page_p95} ms {verdict} the bar of {BAR_P95_MS:.0f} ms; ", end="")
        print(f"rendering all comments is {results['all_over_page_p50']}x slower at p50")
        verdict = "meets" if results["uncached_meets_bar"] else "misses"
        print(f"uncached p95 {results['urls']['uncached']['p95_ms']} ms {verdict} the bar")
    return 0 if results["meets_bar"] else 1


if __name__ == "__main__":
    sys.exit(main())
