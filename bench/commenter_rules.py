"""What the commenter rules (sanctions, trust) add to a scoring batch.

    python bench/commenter_rules.py [--comments 160000] [--batch 500] [--rounds 20] [--json]

Loads --comments comments from 20,000 addresses (three times --rounds batches must be
pending) into a fresh PostgreSQL database (`newsroom_t_bench_rules`, dropped afterwards):
70% approved, 20% pending, 8% spam, 2% rejected, a third of the decided ones decided by a
person; 200 bans in force. Then, for --rounds batches of --batch pending comments as
scoring loads them, it times the two rule queries (moderation.rules.rule_hits, and each
rule with its SQL time) beside one classifier's batch scoring of the same texts; and the
sweep's whole batch path (score_comments: both classifiers, the rules, the writes) on
alternate batches with the rules and without. --explain prints the rules' query plans.

Needs a local PostgreSQL server (DATABASE_ADMIN_URL, default
postgres://postgres@127.0.0.1:5432/postgres).
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "newsroom_t_bench_rules"
ADMIN_URL = os.environ.get("DATABASE_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
AUTHORS = 20_000
WORDS = [
    "bridge",
    "metro",
    "repairs",
    "council",
    "budget",
    "mayor",
    "trains",
    "river",
    "city",
    "vote",
    "report",
    "cheap",
]
STATUSES = [("approved", 0.70), ("pending", 0.20), ("spam", 0.08), ("rejected", 0.02)]


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=160_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--explain", action="store_true", help="print the rules' query plans")
    args = parser.parse_args()

    _admin(f"DROP DATABASE IF EXISTS {DB_NAME}")
    _admin(f"CREATE DATABASE {DB_NAME}")
    os.environ["DATABASE_URL"] = ADMIN_URL.rsplit("/", 1)[0] + "/" + DB_NAME
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.test")
    try:
        figures = _run(args)
    finally:
        from django.db import connections

        connections.close_all()
        _admin(f"DROP DATABASE IF EXISTS {DB_NAME}")
    if args.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name:32} {value}")


def _run(args: argparse.Namespace) -> dict[str, float]:
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from articles.models import Article
    from moderation import classifier, registry, rules
    from moderation.comment_scoring import (
        SIGNAL_FIELDS,
        ActiveModels,
        comment_signals,
        score_comments,
    )
    from moderation.models import Comment, CommenterSanction
    from moderation.policy import site_policy
    from moderation.retraining import seed_examples
    from moderation.rules import RULES, rule_hits

    saved = list(RULES)

    def active_models_for_bench() -> ActiveModels:
        trained = {task: classifier.train(task, *seed_examples(task)) for task in classifier.TASKS}
        for model in trained.values():
            registry.classifier_register(
                classifier=model, training_size=1, sources={"seed": 1}, metrics={}, activate=True
            )
        return ActiveModels(spam=trained["spam"], spoiler=trained["spoiler"])

    call_command("migrate", verbosity=0)
    rng = random.Random(420)
    moderator = User.objects.create(username="bench")
    article = Article.objects.create(slug="bench", title="Bench", body="Body.", section="Kyiv")
    now = timezone.now()
    statuses = [s for s, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    rows = []
    for n in range(args.comments):
        status = rng.choices(statuses, weights)[0]
        decided = status != "pending" and rng.random() < 1 / 3
        rows.append(
            Comment(
                article=article,
                author_name="Reader",
                author_email=f"reader{rng.randrange(AUTHORS)}@example{n % 50}.org",
                body=" ".join(rng.choices(WORDS, k=12)),
                status=status,
                created_at=now - timedelta(seconds=args.comments - n),
                decided_at=now if decided else None,
                decided_by=moderator if decided else None,
            )
        )
    Comment.objects.bulk_create(rows, batch_size=5_000)
    emails = list({row.author_email for row in rows})
    CommenterSanction.objects.bulk_create(
        CommenterSanction(kind="ban", match_email=email, reason="bench", created_by=moderator)
        for email in rng.sample(emails, 200)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    spam = classifier.train("spam", *seed_examples("spam"))
    pending = list(Comment.objects.filter(status="pending").only(*SIGNAL_FIELDS).order_by("pk"))
    if args.explain:
        _explain(pending[: args.batch])
    rule_ms: list[float] = []
    model_ms: list[float] = []
    each_ms: dict[str, list[float]] = {rule.__name__: [] for rule in RULES}
    sql_ms: dict[str, list[float]] = {rule.__name__: [] for rule in RULES}
    for round_ in range(args.rounds):
        batch = pending[round_ * args.batch : (round_ + 1) * args.batch]
        started = time.perf_counter()
        rule_hits(batch)
        rule_ms.append((time.perf_counter() - started) * 1000)
        for rule in RULES:
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                rule(batch)
                each_ms[rule.__name__].append((time.perf_counter() - started) * 1000)
            sql_ms[rule.__name__].append(sum(float(q["time"]) for q in queries) * 1000)
        texts = [c.body for c in batch]
        metas = [comment_signals(c) for c in batch]
        started = time.perf_counter()
        spam.score_batch(texts, metas)
        model_ms.append((time.perf_counter() - started) * 1000)

    def p95(values: list[float]) -> float:
        return sorted(values)[max(0, int(len(values) * 0.95) - 1)]

    # The sweep's whole batch path (both classifiers, the rules, the writes), with the
    # rules and without, on alternate batches of the same kind.
    models = active_models_for_bench()
    sweep_ms: dict[str, list[float]] = {"with_rules": [], "without_rules": []}
    rest = pending[args.rounds * args.batch :]
    for round_ in range(args.rounds):
        for arm in ("with_rules", "without_rules"):
            start = (2 * round_ + (arm == "without_rules")) * args.batch
            batch = rest[start : start + args.batch]
            rules.RULES[:] = saved if arm == "with_rules" else []
            started = time.perf_counter()
            score_comments(batch, models, site_policy())
            sweep_ms[arm].append((time.perf_counter() - started) * 1000)
    rules.RULES[:] = saved

    return {
        "sweep_batch_with_rules_p50_ms": round(statistics.median(sweep_ms["with_rules"]), 2),
        "sweep_batch_without_rules_p50_ms": round(statistics.median(sweep_ms["without_rules"]), 2),
        "rules_batch_p50_ms": round(statistics.median(rule_ms), 2),
        "rules_batch_p95_ms": round(p95(rule_ms), 2),
        "rules_per_comment_p95_us": round(p95(rule_ms) * 1000 / args.batch, 1),
        "one_model_batch_p50_ms": round(statistics.median(model_ms), 2),
        **{f"{name}_p50_ms": round(statistics.median(ms), 2) for name, ms in each_ms.items()},
        **{f"{name}_sql_p50_ms": round(statistics.median(ms), 2) for name, ms in sql_ms.items()},
    }


def _explain(batch: list) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from moderation.rules import RULES

    for rule in RULES:
        with CaptureQueriesContext(connection) as queries:
            rule(batch)
        for query in queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"--- {rule.__name__}\n{plan}", file=sys.stderr)


if __name__ == "__main__":
    main()
