"""CPU per comment on the scoring worker's batch path, with where it goes.

    python bench/scoring_batch_profile.py [--backlog 300] [--rounds 5] [--bodies seed|alike]
                                          [--profile N] [--json]

In this process, on a fresh PostgreSQL database (BENCH_DB_PREFIX + "_batch", default
nr_sc_batch, migrated, default models trained, dropped at the end) and Redis (cache on
the first of BENCH_REDIS_DBS, broker on the second): eight articles in four sections
(two of them override the thresholds and hold links), 2,000 earlier comments from 400
addresses (so the commenter rules have a history to read), then, each round, --backlog
new comments from those addresses written at once and scored by one call of
score_comment_and_followers (the live task's batch path: the three models, the rules,
the writes, the events, the signals). --bodies seed: seed-corpus texts; alike: one
sentence numbered, as bench/scale.py writes its backlog (one campaign that grows each
round). Prints this process's CPU time per scored comment (median, spread, each round)
and, with --profile N, the N costliest functions of one more, profiled round (sorted by
BENCH_PROFILE_SORT, default cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import os
import pstats
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("BENCH_DB_PREFIX", "nr_sc") + "_batch"
REDIS_DBS = os.environ.get("BENCH_REDIS_DBS", "10,11").split(",")
SECTIONS = ["Kyiv", "Politics", "Culture", "Sport"]
AUTHORS = 400
HISTORY = 2000
# --bodies alike: the backlog bench/scale.py writes, one sentence numbered (a campaign).
ALIKE = "scale backlog 1 {}: the trains run again."
BODIES = "seed"
SORT = os.environ.get("BENCH_PROFILE_SORT", "cumulative")

os.environ.update(
    {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": f"{SERVER}/{DATABASE}",
        "CACHE_URL": f"redis://127.0.0.1:6379/{REDIS_DBS[0]}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{REDIS_DBS[1]}",
        "LOG_LEVEL": "WARNING",
    }
)


def _fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def _drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def _texts() -> list[str]:
    texts = []
    for kind in ("spam", "spoiler", "abuse"):
        with open(ROOT / "moderation" / "seed" / f"{kind}.csv", encoding="utf-8") as handle:
            texts.extend(row["text"] for row in csv.DictReader(handle))
    return texts


def _articles() -> list:
    from articles.models import Article, Section

    articles = []
    for n, name in enumerate(SECTIONS):
        overrides = {"spam_hold": 0.4, "spam_reject": 0.85, "hold_links": True} if n % 2 else {}
        section = Section.objects.create(slug=name.lower(), name=name, **overrides)
        for k in range(2):
            articles.append(
                Article.objects.create(
                    slug=f"bench-{name.lower()}-{k}",
                    title=f"{name} {k}",
                    body="Text.",
                    section=section,
                )
            )
    return articles


def _comments(articles: list, texts: list[str], count: int, start: int, **fields: object) -> list:
    from moderation.models import Comment

    return Comment.objects.bulk_create(
        Comment(
            article=articles[i % len(articles)],
            author_name=f"Reader {i % AUTHORS}",
            author_email=f"reader{i % AUTHORS}@example.org",
            body=ALIKE.format(i) if BODIES == "alike" else f"{texts[i % len(texts)]} [{i}]",
            user_agent="Mozilla/5.0 (bench)",
            **fields,
        )
        for i in range(start, start + count)
    )


def _history(articles: list, texts: list[str]) -> None:
    """Earlier comments of the same addresses, scored and mostly published."""
    from django.utils import timezone

    from moderation.models import Comment

    past = timezone.now() - timedelta(days=1)
    for status, share in (("approved", 0.8), ("spam", 0.15), ("rejected", 0.05)):
        _comments(
            articles,
            texts,
            int(HISTORY * share),
            start=int(HISTORY * (1 - share)),
            status=status,
            scored_at=past,
            created_at=past,
        )
    Comment.objects.filter(scored_at__isnull=False).update(decided_at=None)


def _round(articles: list, texts: list[str], backlog: int, n: int, profiler=None) -> float:
    from moderation.comment_scoring import score_comment_and_followers
    from moderation.models import Comment

    first = _comments(articles, texts, backlog, start=HISTORY + n * backlog)[0].pk
    started = time.process_time()
    if profiler:
        profiler.enable()
    score_comment_and_followers(first, limit=backlog)
    if profiler:
        profiler.disable()
    used = time.process_time() - started
    left = Comment.objects.filter(pk__gte=first, scored_at__isnull=True).count()
    assert left == 0, f"{left} comments left unscored"
    return used


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backlog", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--bodies", choices=("seed", "alike"), default="seed")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    global BODIES
    BODIES = args.bodies

    _fresh_database()
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from moderation.comment_scoring import active_models

    try:
        call_command("migrate", verbosity=0)
        call_command("train_default_models", stdout=io.StringIO())
        cache.clear()
        active_models()  # loaded once, as a running worker holds them
        texts = _texts()
        articles = _articles()
        _history(articles, texts)
        _round(articles, texts, backlog=20, n=0)  # warm: first queries, imports
        per_comment = [
            _round(articles, texts, args.backlog, n=1 + r) * 1000 / args.backlog
            for r in range(args.rounds)
        ]
        profile_text = ""
        if args.profile:
            profiler = cProfile.Profile(time.process_time)
            _round(articles, texts, args.backlog, n=1 + args.rounds, profiler=profiler)
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(SORT).print_stats(args.profile)
            profile_text = out.getvalue()
    finally:
        _drop_database()
    result = {
        "backlog": args.backlog,
        "bodies": args.bodies,
        "rounds": args.rounds,
        "cpu_ms_per_comment_median": round(statistics.median(per_comment), 2),
        "cpu_ms_per_comment_min": round(min(per_comment), 2),
        "cpu_ms_per_comment_max": round(max(per_comment), 2),
        "cpu_ms_per_comment_rounds": [round(ms, 2) for ms in per_comment],
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"batch of {args.backlog} ({args.bodies} bodies), {args.rounds} rounds: "
            "CPU per scored comment "
            f"{result['cpu_ms_per_comment_median']} ms median "
            f"({result['cpu_ms_per_comment_min']}-{result['cpu_ms_per_comment_max']}; "
            f"rounds {result['cpu_ms_per_comment_rounds']})"
        )
    if profile_text:
        print(profile_text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
