"""What answering CORS per site costs a public read: the embed's calls beside plain ones.

Creates its own PostgreSQL database, a number of sites (each listing a few origins, the
embedded page's site last), and one article with approved comments. Then, in-process
through Django's test client and interleaved round by round, it times:

  plain     GET the article's comments with no Origin (a server-side client)
  embed     the same GET from a listed page (Origin of the last site): the per-site check
  stranger  the same GET from an origin no site lists: the check, and no CORS headers
  config    GET embed/articles/{id}/ from the listed page: what embed.js asks first
  preflight OPTIONS before a signed-in POST from the listed page

Prints p50/p95 in milliseconds and each one's p50 over `plain`'s; --json prints the
same as JSON. The comments page is cached (local memory), as readers get it. The
database is dropped at the end.

    python bench/embed_cors.py [--sites 50] [--comments 200] [--requests 400] [--json]
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "nr_embed_bench"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=50)
    parser.add_argument("--comments", type=int, default=200)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    # Django creates (and later drops) DB_NAME from the server's maintenance database.
    os.environ["DATABASE_URL"] = f"{PG}/postgres"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = DB_NAME
    creation = connection.creation
    test_name = creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = run(args)
    finally:
        creation.destroy_test_db(test_name, verbosity=0)
    report(results, args)


def run(args: argparse.Namespace) -> dict[str, list[float]]:
    from django.test import Client

    from articles.models import Article, Section, Site
    from moderation.models import Comment

    sites = [
        Site(
            name=f"Site {n}",
            slug=f"site-{n}",
            allowed_origins=[f"https://www.site{n}.example", f"https://m.site{n}.example"],
        )
        for n in range(args.sites)
    ]
    Site.objects.bulk_create(sites)
    site = Site.objects.get(slug=f"site-{args.sites - 1}")
    origin = site.allowed_origins[0]
    article = Article.objects.create(
        site=site,
        external_id="cms-1",
        slug="bench-embed",
        title="Bench",
        body="One.\n\nTwo.",
        section=Section.objects.named("Bench"),
        author="Bench",
    )
    Comment.objects.bulk_create(
        Comment(article=article, author_name="R", body=f"Comment {n}", status="approved")
        for n in range(args.comments)
    )
    client = Client()
    comments = f"/api/v1/articles/{article.slug}/comments/"
    calls = {
        "plain": lambda: client.get(comments),
        "embed": lambda: client.get(comments, HTTP_ORIGIN=origin),
        "stranger": lambda: client.get(comments, HTTP_ORIGIN="https://nobody.example"),
        "config": lambda: client.get("/api/v1/embed/articles/cms-1/", HTTP_ORIGIN=origin),
        "preflight": lambda: client.options(
            comments,
            HTTP_ORIGIN=origin,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
        ),
    }
    for call in calls.values():  # warm caches and connections
        assert call().status_code < 300
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(args.requests):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - started) * 1000)
    return times


def report(times: dict[str, list[float]], args: argparse.Namespace) -> None:
    base = statistics.median(times["plain"])
    rows = {
        name: {
            "p50_ms": round(statistics.median(values), 3),
            "p95_ms": round(statistics.quantiles(values, n=20)[18], 3),
            "p50_over_plain": round(statistics.median(values) / base, 2),
        }
        for name, values in times.items()
    }
    if args.json:
        print(json.dumps({"args": vars(args), "results": rows}, indent=2))
        return
    print(f"{args.sites} sites, {args.comments} comments, {args.requests} rounds")
    print(f"{'call':<10} {'p50 ms':>8} {'p95 ms':>8} {'p50/plain':>10}")
    for name, row in rows.items():
        print(f"{name:<10} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['p50_over_plain']:>10}")


if __name__ == "__main__":
    main()
