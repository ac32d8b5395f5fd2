"""What the readable queue costs: the desk's queue page and a keyboard decision, this tree
beside an older one.

Each tree gets its own PostgreSQL database (migrated) with the same queue: 2,000 pending
comments with scores and explanations (a tenth of them replies, a tenth longer than 400
characters), then, in a fresh process per round, a moderator's session draws the queue
page (50 rows) and decides comments with the keyboard's request. The trees take turns.
Prints each tree's median page and decision time, and the cost of a keyboard decision in
this tree, where the desk draws the filters again after it (without the rows) to bring
their counts up to date.

    git archive <commit> | tar -x -C /tmp/before
    python bench/desk_queue_page.py --before /tmp/before [--rounds 4] [--requests 15]
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
DATABASE = "nr_desk_bench_queue_{}"

# Fills the queue once per tree.
FILL = r"""
import django
django.setup()
from django.contrib.auth.models import User
from django.utils import timezone
from articles.models import Article, Section
from moderation.models import Comment

User.objects.create_superuser("bench", "bench@example.org", "bench")
article = Article.objects.create(
    slug="bench", title="The metro bridge reopens after eight months of repairs",
    body="Text.", section=Section.objects.named("Kyiv"), author="A",
)
explanation = {"spam": [{"feature": 'word "casino"', "weight": 1.7},
                        {"feature": "many links", "weight": 0.4}],
               "spoiler": [{"feature": 'word "dies"', "weight": 0.3}]}
long = "The repairs took eight months and the trains are back, but the night service " * 8
parent = Comment.objects.create(article=article, author_name="Ivan", body="First!",
                                status="approved")
Comment.objects.bulk_create(
    Comment(article=article, author_name=f"Reader {i}", author_email=f"r{i % 300}@example.org",
            body=(long if i % 10 == 0 else f"Comment {i}: casino bonus, free spins."),
            parent=parent if i % 10 == 1 else None, spam_score=0.6, spoiler_score=0.1,
            explanation=explanation, scored_at=timezone.now(), uncertainty=1 - i / 4000)
    for i in range(2000)
)
"""

# One round: medians of the page and of a keyboard decision, in milliseconds.
ROUND = r"""
import json, statistics, sys, time
import django
django.setup()
from django.test import Client
from moderation.models import Comment

requests = int(sys.argv[1])
client = Client(HTTP_HOST="localhost")
client.login(username="bench", password="bench")
page = "/admin/moderation/comment/?queue=pending"
assert client.get(page).status_code == 200  # warm
pages, decisions = [], []
for _ in range(requests):
    started = time.perf_counter()
    response = client.get(page)
    pages.append(time.perf_counter() - started)
    assert response.status_code == 200
ids = list(Comment.objects.filter(status="pending").order_by("-uncertainty")
           .values_list("pk", flat=True)[:requests])
for pk in ids:
    started = time.perf_counter()
    response = client.post(f"/admin/moderation/comment/{pk}/decide/",
                           {"decision": "approve", "expected_status": "pending"},
                           HTTP_ACCEPT="application/json")
    decisions.append(time.perf_counter() - started)
    assert response.status_code == 200
# The filters alone, as the desk redraws them after a decision (where the tree has them).
counts = []
if client.get("/admin/moderation/comment/filters/?queue=pending").status_code == 200:
    for _ in range(requests):
        started = time.perf_counter()
        client.get("/admin/moderation/comment/filters/?queue=pending")
        counts.append(time.perf_counter() - started)
# Put them back for the next round, as a person's undo would (outside the timing).
Comment.objects.filter(pk__in=ids).update(status="pending", decided_at=None, decided_by=None)
print(json.dumps({"page": statistics.median(pages) * 1000,
                  "decide": statistics.median(decisions) * 1000,
                  "filters": statistics.median(counts) * 1000 if counts else None}))
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


def _run(tree: Path, database: str, *args: str) -> str:
    out = subprocess.run(
        [PYTHON, *args], cwd=tree, env=_env(tree, database), capture_output=True, text=True
    )
    if out.returncode:
        raise SystemExit(f"{tree}: {out.stderr[-2000:]}")
    return out.stdout


def prepare(tree: Path, database: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    _run(tree, database, "manage.py", "migrate", "--noinput")
    _run(tree, database, "-c", FILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the older tree")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--requests", type=int, default=15)
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "after": ROOT}
    for name, tree in trees.items():
        prepare(tree, DATABASE.format(name))
    rounds: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for number in range(args.rounds):
        # First one tree, then the other first: a drifting load weighs on both alike.
        order = list(trees.items()) if number % 2 == 0 else list(trees.items())[::-1]
        for name, tree in order:
            out = _run(tree, DATABASE.format(name), "-c", ROUND, str(args.requests))
            rounds[name].append(json.loads(out.strip().splitlines()[-1]))
    median = {
        name: {key: statistics.median(r[key] for r in runs) for key in ("page", "decide")}
        for name, runs in rounds.items()
    }
    for name in trees:
        shown = ", ".join(f"{r['page']:.0f}/{r['decide']:.0f}" for r in rounds[name])
        print(
            f"{name:7} page {median[name]['page']:6.1f} ms  decision "
            f"{median[name]['decide']:6.1f} ms  (rounds, page/decision: {shown})"
        )
    before, after = median["before"], median["after"]
    print(f"page, after / before: {after['page'] / before['page']:.2f}")
    print(f"decision, after / before: {after['decide'] / before['decide']:.2f}")
    filters = statistics.median(r["filters"] for r in rounds["after"])
    keyboard = after["decide"] + filters
    print(f"filters alone (after): {filters:.1f} ms, {filters / after['page']:.2f} x the page")
    print(
        f"keyboard decision with the counts redrawn: {keyboard:.1f} ms, "
        f"{keyboard / before['decide']:.2f} x a decision before (the redraw runs after the "
        "answer: the row shows the decision at once)"
    )


if __name__ == "__main__":
    main()
