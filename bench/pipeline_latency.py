"""Submit-to-scored latency of the comment pipeline, and the sweep's backlog throughput.

Starts the stack itself (gunicorn with 2 workers, one Celery scoring worker, beat, on
production settings) on the machine's PostgreSQL and Redis, with a fresh database,
unless --url points at one already running (then DATABASE_URL must name its
database). Posts comments over HTTP at a fixed rate (open loop: a slow answer never
delays the next post), waits until every comment is scored, and prints the latency
from the comment's creation to its scoring (both stamped by the servers), the
sustained rate, and how many comments ended unscored. Then it stops the stack,
creates a backlog of unscored comments and times the sweep's batch path on it,
beside the one-at-a-time path as the baseline.

    python bench/pipeline_latency.py --rate 50 --seconds 20 [--json] [--url URL]
        [--backlog 10000] [--baseline 1000]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.stack import Stack, post_comment, production_env  # noqa: E402

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/newsroom_bench_pipeline"
DEFAULT_BROKER = "redis://127.0.0.1:6379/12"
DEFAULT_CACHE = "redis://127.0.0.1:6379/11"
TARGETS = {"p95_ms": 250.0, "backlog_comments_per_s": 1000.0, "unscored": 0}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return ordered[index]


def corpus_texts() -> list[str]:
    """Real-looking comments: the seed corpus, spam and clean, three languages."""
    texts: list[str] = []
    for name in ("spam", "spoiler"):
        with open(ROOT / "moderation" / "seed" / f"{name}.csv", encoding="utf-8") as handle:
            texts.extend(row["text"] for row in csv.DictReader(handle))
    return texts


def recreate_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(database_url: str, broker_url: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
            "DEBUG": "false",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


def post_at_rate(base_url: str, slug: str, tag: str, rate: float, seconds: float) -> dict:
    texts = corpus_texts()
    total = int(rate * seconds)
    statuses: list[int] = []
    http_ms: list[float] = []
    lock = threading.Lock()

    def post(i: int) -> None:
        started = time.perf_counter()
        try:
            status = post_comment(
                base_url,
                slug=slug,
                author_name=tag,
                body=f"{texts[i % len(texts)]} ({i})",
                timeout=30,
            )
        except OSError:
            status = 0
        with lock:
            statuses.append(status)
            http_ms.append((time.perf_counter() - started) * 1000)

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=32) as pool:
        for i in range(total):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            pool.submit(post, i)
    return {
        "submitted": total,
        "accepted": statuses.count(201),
        "errors": sorted({s for s in statuses if s != 201}),
        "post_seconds": time.monotonic() - start,
        "http_p95_ms": percentile(http_ms, 95),
    }


def wait_for_scoring(tag: str, timeout: float) -> None:
    from moderation.models import Comment

    deadline = time.monotonic() + timeout
    while Comment.objects.filter(author_name=tag, scored_at=None).exists():
        if time.monotonic() > deadline:
            return
        time.sleep(0.2)


def latency_figures(tag: str, submitted: int) -> dict[str, float | int]:
    from moderation.models import Comment

    rows = list(Comment.objects.filter(author_name=tag).values_list("created_at", "scored_at"))
    scored = [(c, s) for c, s in rows if s is not None]
    latencies = [(s - c).total_seconds() * 1000 for c, s in scored]
    span = (max(s for _, s in scored) - min(c for c, _ in scored)).total_seconds() if scored else 0
    return {
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "comments_per_s": round(len(scored) / span, 1) if span else 0.0,
        "submitted": submitted,
        "unscored": submitted - len(scored),
    }


def backlog_figures(article_id: int, backlog: int, baseline: int) -> dict[str, float]:
    """The sweep's batch path on a backlog, and one-at-a-time scoring as the baseline."""
    from django.utils import timezone

    from moderation.comment_scoring import score_comment, sweep_unscored_comments
    from moderation.models import Comment

    texts = corpus_texts()
    past = timezone.now() - timedelta(hours=1)

    def make(count: int, tag: str) -> list[int]:
        rows = Comment.objects.bulk_create(
            (
                Comment(
                    article_id=article_id,
                    author_name=tag,
                    body=f"{texts[i % len(texts)]} [{i}]",
                    created_at=past,
                )
                for i in range(count)
            ),
            batch_size=2000,
        )
        return [c.pk for c in rows]

    single_ids = make(baseline, "bench-single")
    started = time.perf_counter()
    for pk in single_ids:
        score_comment(pk)
    single_rate = baseline / (time.perf_counter() - started)

    make(backlog, "bench-backlog")
    started = time.perf_counter()
    result = sweep_unscored_comments(older_than=timedelta(minutes=1), time_budget=3600)
    elapsed = time.perf_counter() - started
    left = Comment.objects.filter(author_name="bench-backlog", scored_at=None).count()
    return {
        "backlog": backlog,
        "backlog_scored": result.scored,
        "backlog_left": left,
        "backlog_seconds": round(elapsed, 2),
        "backlog_comments_per_s": round(result.scored / elapsed, 1),
        "single_path_comments_per_s": round(single_rate, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--url", help="a running stack (DATABASE_URL must name its database)")
    parser.add_argument("--backlog", type=int, default=10_000)
    parser.add_argument("--baseline", type=int, default=1_000, help="one-at-a-time comments")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") if args.url else None
    database_url = database_url or os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE)
    broker_url = os.environ.get("CELERY_BROKER_URL", DEFAULT_BROKER)
    stack = None
    if not args.url:
        recreate_database(database_url)
        stack = Stack(
            database_url=database_url,
            broker_url=broker_url,
            processes=("web", "scoring", "beat"),
            settings="newsroom.settings.production",
            env=production_env(cache_url=os.environ.get("CACHE_URL", DEFAULT_CACHE)),
            log_dir=ROOT / "var" / "log" / "bench-pipeline",
        )
        stack.manage("migrate", "--noinput")
        stack.manage("train_default_models")
    setup_django(database_url, broker_url)
    from articles.models import Article, Section

    tag = f"bench-{uuid.uuid4().hex[:8]}"
    article = Article.objects.create(
        slug=tag, title="Bench", body="Text", section=Section.objects.named("Bench")
    )
    try:
        if stack is not None:
            stack.start()
        base_url = args.url or (stack.base_url if stack else "")
        # Warm up: both gunicorn workers and the scoring worker load what they need.
        for i in range(4):
            post_comment(base_url, slug=article.slug, author_name="warm-up", body=f"Warm {i}")
        wait_for_scoring("warm-up", 60)
        posting = post_at_rate(base_url, article.slug, tag, args.rate, args.seconds)
        wait_for_scoring(tag, 120)
        figures = latency_figures(tag, posting["submitted"])
        figures["http_p95_ms"] = round(posting["http_p95_ms"], 1)
        figures["rejected_posts"] = posting["submitted"] - posting["accepted"]
        figures["post_errors"] = posting["errors"]
    finally:
        if stack is not None:
            stack.stop()
    if args.backlog:
        figures.update(backlog_figures(article.pk, args.backlog, args.baseline))

    if args.json:
        print(json.dumps(figures))
        return
    print(
        f"Comments posted over HTTP at {args.rate:g}/s for {args.seconds:g} s, one scoring worker"
    )
    print(f"{'':32} {'measured':>10} {'target':>10}")
    rows = [
        ("submit-to-scored p50 (ms)", figures["p50_ms"], None),
        ("submit-to-scored p95 (ms)", figures["p95_ms"], "<= 250"),
        ("submit-to-scored p99 (ms)", figures["p99_ms"], None),
        ("sustained comments/s", figures["comments_per_s"], f">= {args.rate:g}"),
        ("submitted", figures["submitted"], None),
        ("not accepted (non-201)", figures["rejected_posts"], "0"),
        ("unscored", figures["unscored"], "0"),
        ("HTTP submit p95 (ms)", figures["http_p95_ms"], None),
    ]
    if args.backlog:
        rows += [
            (
                f"sweep, backlog of {args.backlog} (c/s)",
                figures["backlog_comments_per_s"],
                ">= 1000",
            ),
            ("baseline: one at a time (c/s)", figures["single_path_comments_per_s"], None),
            ("backlog left unscored", figures["backlog_left"], "0"),
        ]
    for name, value, target in rows:
        print(f"{name:32} {value!s:>10} {target or '':>10}")


if __name__ == "__main__":
    main()
