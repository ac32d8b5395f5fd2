"""What per-section policies cost the sweep's batch path: this tree beside an older one.

Scores the same backlog of seed-corpus comments, spread over eight sections, with the
sweep (sweep_unscored_comments), once per round in each tree, taking turns, each in a
fresh process on its own PostgreSQL database (migrated, default models trained). In
this tree half the sections override the thresholds and hold links, so every comment
is scored by its own section's policy; the older tree has one site policy and
free-text sections. Prints each tree's median comments/s and the change.

    git archive <commit> | tar -x -C /tmp/before
    python bench/section_policy_cost.py --before /tmp/before [--backlog 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SECTIONS = ["Kyiv", "Politics", "Business", "Culture", "Sport", "World", "Science", "War"]

# Run inside a tree: fills the backlog, sweeps it, prints {"rate": comments/s}.
ROUND = r"""
import csv, json, sys, time
from datetime import timedelta
import django
django.setup()
from django.utils import timezone
from articles.models import Article
from moderation.comment_scoring import sweep_unscored_comments
from moderation.models import Comment

backlog = int(sys.argv[1])
sections = json.loads(sys.argv[2])
try:
    from articles.models import Section
except ImportError:
    Section = None
articles = []
for n, name in enumerate(sections):
    if Section is None:
        section = name
    else:
        overrides = {"spam_hold": 0.4, "spam_reject": 0.85, "hold_links": True} if n % 2 else {}
        section, _ = Section.objects.get_or_create(
            slug=name.lower(), defaults={"name": name, **overrides}
        )
    article, _ = Article.objects.get_or_create(
        slug=f"bench-{name.lower()}", defaults=dict(title=name, body="Text.", section=section)
    )
    articles.append(article)
texts = []
for kind in ("spam", "spoiler"):
    with open(f"moderation/seed/{kind}.csv", encoding="utf-8") as handle:
        texts.extend(row["text"] for row in csv.DictReader(handle))
past = timezone.now() - timedelta(hours=1)
Comment.objects.bulk_create(
    (
        Comment(
            article=articles[i % len(articles)],
            author_name="bench",
            body=f"{texts[i % len(texts)]} [{i}]",
            created_at=past,
        )
        for i in range(backlog)
    ),
    batch_size=2000,
)
started, cpu = time.perf_counter(), time.process_time()
result = sweep_unscored_comments(older_than=timedelta(minutes=1), time_budget=3600)
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
assert result.scored == backlog, result
print(json.dumps({"rate": result.scored / elapsed, "cpu_rate": result.scored / cpu}))
"""


def _env(tree: Path, database: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
        "DEBUG": "false",
        "DATABASE_URL": f"{SERVER}/{database}",
        "CELERY_BROKER_URL": "memory://",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(tree),
    }


def prepare(tree: Path, database: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    for command in (["migrate", "--noinput"], ["train_default_models"]):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=tree,
            env=_env(tree, database),
            check=True,
            stdout=subprocess.DEVNULL,
        )


def one_round(tree: Path, database: str, backlog: int) -> dict[str, float]:
    out = subprocess.run(
        [PYTHON, "-c", ROUND, str(backlog), json.dumps(SECTIONS)],
        cwd=tree,
        env=_env(tree, database),
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"{tree}: {out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the older tree")
    parser.add_argument("--backlog", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": ROOT}
    for name, tree in trees.items():
        prepare(tree, f"newsroom_bench_sections_{name}")
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for number in range(args.rounds):
        # Taking turns, first one then the other first: a machine whose load drifts
        # during the run weighs on both alike.
        order = list(trees.items()) if number % 2 == 0 else list(trees.items())[::-1]
        for name, tree in order:
            rounds[name].append(one_round(tree, f"newsroom_bench_sections_{name}", args.backlog))
    # Wall time counts the database's share too but swings with whatever else runs; the
    # sweeping process's CPU time is the steadier measure of the Python side.
    for key, label in (("rate", "wall clock"), ("cpu_rate", "process CPU")):
        median = {name: statistics.median(r[key] for r in runs) for name, runs in rounds.items()}
        change = (median["after"] / median["before"] - 1) * 100
        print(f"comments/s by {label}:")
        for name, runs in rounds.items():
            shown = ", ".join(f"{r[key]:.0f}" for r in runs)
            print(f"  {name:7} median {median[name]:7.0f}  (rounds: {shown})")
        print(f"  change  {change:+.1f}%  (target: no worse than -10%)")


if __name__ == "__main__":
    main()
