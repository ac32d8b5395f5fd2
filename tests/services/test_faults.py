"""Faults: a worker killed mid-scoring, Redis gone while readers post. Nothing is lost."""

import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db.models import Count, Q

from articles.models import Article, Section
from moderation.models import Comment
from scripts.stack import post_comment
from tests.pipeline.waiting import wait_until

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        os.environ.get("NEWSROOM_SERVICES") != "1", reason="needs PostgreSQL and Redis (.ci/run)"
    ),
    pytest.mark.django_db(transaction=True),
]


def _article() -> Article:
    return Article.objects.create(
        slug="faults", title="Faults", body="Text", section=Section.objects.named("Kyiv")
    )


def _post_many(
    base_url: str, slug: str, prefix: str, count: int, readers: int = 4
) -> list[tuple[int, float]]:
    """Post from several readers at once; (status, seconds) for each comment."""

    def post(i: int) -> tuple[int, float]:
        started = time.monotonic()
        status = post_comment(base_url, slug=slug, body=f"{prefix} comment number {i}.", timeout=30)
        return status, time.monotonic() - started

    with ThreadPoolExecutor(max_workers=readers) as pool:
        return list(pool.map(post, range(count)))


def _scored_events_per_comment(prefix: str) -> dict[int, int]:
    rows = (
        Comment.objects.filter(body__startswith=prefix)
        .annotate(scored=Count("events", filter=Q(events__action="scored")))
        .values_list("pk", "scored")
    )
    return dict(rows)


def test_a_worker_killed_while_scoring_loses_nothing(make_stack):
    article = _article()
    stack = make_stack("web", "scoring")
    stack.stop("scoring")
    answers = _post_many(stack.base_url, article.slug, "Killed", 200)
    assert {status for status, _ in answers} == {201}
    stack.start("scoring")
    wait_until(
        lambda: (
            Comment.objects.filter(body__startswith="Killed", scored_at__isnull=False).count() >= 20
        ),
        timeout=60,
        message=f"the worker scored nothing:\n{stack.log('scoring')[-3000:]}",
    )
    stack.kill("scoring")
    unscored_at_kill = Comment.objects.filter(body__startswith="Killed", scored_at=None).count()
    assert unscored_at_kill > 0, "the worker finished before the kill; nothing was tested"

    stack.start("scoring", "beat")
    wait_until(
        lambda: not Comment.objects.filter(body__startswith="Killed", scored_at=None).exists(),
        timeout=120,
        message=f"comments left unscored:\n{stack.log('scoring')[-3000:]}",
    )
    counts = _scored_events_per_comment("Killed")
    assert len(counts) == 200
    assert set(counts.values()) == {1}, "every comment scored exactly once"


def test_comments_posted_while_redis_is_down_are_scored_when_it_returns(make_stack, private_redis):
    article = _article()
    stack = make_stack("web", "scoring", "beat", broker_url=private_redis.url)
    assert post_comment(stack.base_url, slug=article.slug, body="Before the outage.") == 201

    private_redis.stop()
    # One reader at a time, so each time is the request's own, not a wait in line.
    answers = _post_many(stack.base_url, article.slug, "Outage", 30, readers=1)
    assert {status for status, _ in answers} == {201}
    slowest = max(seconds for _, seconds in answers)
    assert slowest < 3, f"a reader waited {slowest:.1f} s for a dead broker"
    assert Comment.objects.filter(body__startswith="Outage").count() == 30
    time.sleep(3)  # the worker and beat notice the outage

    private_redis.start()
    wait_until(
        lambda: not Comment.objects.filter(scored_at=None).exists(),
        timeout=120,
        message=(
            f"comments left unscored after Redis returned:\n{stack.log('scoring')[-3000:]}"
            f"\nbeat:\n{stack.log('beat')[-2000:]}"
        ),
    )
    counts = _scored_events_per_comment("Outage")
    assert len(counts) == 30 and set(counts.values()) == {1}
