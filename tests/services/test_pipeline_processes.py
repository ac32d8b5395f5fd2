"""The comment flow through real processes: gunicorn, a Celery worker, PostgreSQL, Redis."""

import os

import pytest

from articles.models import Article, Section
from moderation.models import Comment
from moderation.policy import site_policy
from moderation.services import comment_approve
from newsroom.celery import app
from scripts.stack import post_comment
from tests.pipeline.waiting import wait_until

pytestmark = [
    pytest.mark.services,
    pytest.mark.skipif(
        os.environ.get("NEWSROOM_SERVICES") != "1", reason="needs PostgreSQL and Redis (.ci/run)"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_a_comment_posted_over_http_is_scored_by_a_worker(make_stack, active_models):
    article = Article.objects.create(
        slug="bridge", title="Bridge", body="Text", section=Section.objects.named("Kyiv")
    )
    stack = make_stack("web", "scoring")
    body = "Repairs took eight months; the mayor should explain the delay."
    assert post_comment(stack.base_url, slug=article.slug, body=body) == 201
    wait_until(
        lambda: Comment.objects.filter(body=body, scored_at__isnull=False).exists(),
        timeout=30,
        message=f"never scored; worker log:\n{stack.log('scoring')[-3000:]}",
    )
    comment = Comment.objects.get(body=body)
    verdict = site_policy().verdict(
        spam_score=comment.spam_score or 0.0,
        spoiler_score=comment.spoiler_score or 0.0,
        author_spoiler_tag=False,
        premoderated=False,
    )
    assert (comment.status, comment.is_spoiler) == (verdict.status, verdict.is_spoiler)
    assert comment.spam_model_version == active_models["spam"].version
    events = list(comment.events.values_list("action", "actor", "to_status"))
    assert events == [("submitted", None, "pending"), ("scored", None, comment.status)]


def test_a_task_for_a_decided_comment_leaves_the_decision(make_stack, make_comment, moderator):
    stack = make_stack("scoring")
    comment = make_comment(body="BUY CHEAP PILLS!!! http://spam.example casino bonus")
    comment_approve(comment_id=comment.pk, actor=moderator)
    app.send_task("moderation.tasks.classify_comment", args=[comment.pk])
    wait_until(
        lambda: Comment.objects.filter(pk=comment.pk, scored_at__isnull=False).exists(),
        timeout=30,
        message=f"never scored; worker log:\n{stack.log('scoring')[-3000:]}",
    )
    comment.refresh_from_db()
    assert comment.status == "approved" and comment.decided_by == moderator
    assert list(comment.events.values_list("action", "to_status")) == [
        ("approved", "approved"),
        ("scored", "approved"),
    ]
