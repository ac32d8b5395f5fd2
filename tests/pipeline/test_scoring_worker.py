"""The comment flow through a real Celery worker (a thread on the in-memory transport)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from moderation.models import Comment
from moderation.policy import site_policy
from moderation.services import comment_approve, comment_submit
from moderation.tasks import classify_comment, sweep_unscored
from tests.pipeline.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def _scored(comment_id: int) -> bool:
    return Comment.objects.filter(pk=comment_id, scored_at__isnull=False).exists()


def _expected_status(comment: Comment) -> str:
    assert comment.spam_score is not None and comment.spoiler_score is not None
    return (
        site_policy()
        .verdict(
            spam_score=comment.spam_score,
            spoiler_score=comment.spoiler_score,
            author_spoiler_tag=comment.author_spoiler_tag,
            premoderated=comment.article.comment_mode == "premoderated",
            abuse_score=comment.abuse_score or 0.0,
        )
        .status
    )


def test_a_submitted_comment_is_scored_after_commit(celery_worker, article, active_models):
    comment = comment_submit(
        article=article, author_name="Oksana", body="The bridge repairs took far too long."
    )
    wait_until(lambda: _scored(comment.pk), message="the worker never scored the comment")
    comment.refresh_from_db()
    assert comment.status == _expected_status(comment)
    assert comment.spam_model_version == active_models["spam"].version
    assert comment.spoiler_model_version == active_models["spoiler"].version
    flagged = comment.spam_score >= site_policy().spam_hold or comment.is_spoiler
    assert set(comment.explanation) == ({"spam", "spoiler", "abuse"} if flagged else set())
    events = list(comment.events.values_list("action", "actor", "from_status", "to_status"))
    assert events == [
        ("submitted", None, "", "pending"),
        ("scored", None, "pending", comment.status),
    ]
    scored = comment.events.get(action="scored")
    assert scored.model_versions == {
        "spam": active_models["spam"].version,
        "spoiler": active_models["spoiler"].version,
        "abuse": active_models["abuse"].version,
    }


def test_obvious_spam_is_hidden(celery_worker, article):
    comment = comment_submit(
        article=article,
        author_name="Best Deals",
        body="BUY CHEAP VIAGRA NOW!!! Casino bonus, click http://spam.example/win $$$ FREE",
    )
    wait_until(lambda: _scored(comment.pk))
    comment.refresh_from_db()
    assert comment.status == _expected_status(comment)
    assert comment.spam_score is not None and comment.spam_score >= site_policy().spam_hold


def test_a_premoderated_article_keeps_comments_pending(celery_worker, article):
    article.comment_mode = "premoderated"
    article.save()
    comment = comment_submit(article=article, author_name="Oksana", body="Good news for Kyiv.")
    wait_until(lambda: _scored(comment.pk))
    comment.refresh_from_db()
    if comment.spam_score is not None and comment.spam_score < site_policy().spam_reject:
        assert comment.status == "pending"


def test_the_readers_spoiler_tag_survives_scoring(celery_worker, article):
    comment = comment_submit(
        article=article, author_name="Viktor", body="Nice weather today.", spoiler_tag=True
    )
    wait_until(lambda: _scored(comment.pk))
    comment.refresh_from_db()
    assert comment.is_spoiler


def test_a_moderators_decision_is_left_alone(celery_worker, make_comment, moderator):
    comment = make_comment(body="BUY CHEAP VIAGRA NOW!!! Casino bonus http://spam.example")
    comment_approve(comment_id=comment.pk, actor=moderator)
    classify_comment.delay(comment.pk)
    wait_until(lambda: _scored(comment.pk))
    comment.refresh_from_db()
    assert comment.status == "approved"
    assert comment.decided_by == moderator
    scored = comment.events.get(action="scored")
    assert (scored.from_status, scored.to_status) == ("approved", "approved")


def test_a_rerun_with_the_same_models_changes_nothing(celery_worker, make_comment):
    comment = make_comment()
    classify_comment.delay(comment.pk)
    wait_until(lambda: _scored(comment.pk))
    before = Comment.objects.values().get(pk=comment.pk)
    classify_comment.delay(comment.pk)
    classify_comment.delay(comment.pk)
    marker = make_comment(body="Marker: queued after the reruns.")
    classify_comment.delay(marker.pk)
    wait_until(lambda: _scored(marker.pk), message="the worker stalled")
    assert Comment.objects.values().get(pk=comment.pk) == before
    assert comment.events.filter(action="scored").count() == 1


def test_a_task_for_a_deleted_comment_does_nothing(celery_worker, make_comment):
    gone = make_comment()
    gone_id = gone.pk
    gone.delete()
    classify_comment.delay(gone_id)
    marker = make_comment()
    classify_comment.delay(marker.pk)
    wait_until(lambda: _scored(marker.pk), message="the worker stalled on a missing comment")


def test_the_sweep_scores_comments_whose_task_never_ran(celery_worker, make_comment):
    past = timezone.now() - timedelta(minutes=10)
    lost = [make_comment(body=f"Lost comment number {i}.", created_at=past) for i in range(25)]
    recent = make_comment(body="Just posted; its task is on the way.")
    sweep_unscored.delay()
    wait_until(lambda: all(_scored(c.pk) for c in lost), message="the sweep left comments")
    for comment in Comment.objects.filter(pk__in=[c.pk for c in lost]).select_related("article"):
        assert comment.status == _expected_status(comment)
        assert comment.events.filter(action="scored", actor=None).count() == 1
    assert not _scored(recent.pk), "within the grace period the live task is trusted"


def test_the_sweep_explains_flagged_comments_afterwards(celery_worker, make_comment):
    past = timezone.now() - timedelta(minutes=10)
    spam = make_comment(
        body="BUY CHEAP VIAGRA NOW!!! Casino bonus, click http://spam.example/win $$$ FREE",
        created_at=past,
    )
    sweep_unscored.delay()
    wait_until(lambda: _scored(spam.pk))
    spam.refresh_from_db()
    assert spam.spam_score is not None and spam.spam_score >= site_policy().spam_hold
    wait_until(
        lambda: Comment.objects.get(pk=spam.pk).explanation != {},
        message="the flagged comment was never explained",
    )
    assert Comment.objects.get(pk=spam.pk).explanation["spam"]


def test_the_worker_reloads_when_a_new_model_is_promoted(
    celery_worker, make_comment, seed_classifiers
):
    from moderation import classifier, registry
    from moderation.retraining import seed_examples

    first = make_comment()
    classify_comment.delay(first.pk)
    wait_until(lambda: _scored(first.pk))
    texts, labels = seed_examples("spam")
    challenger = classifier.train("spam", texts[: len(texts) // 2], labels[: len(labels) // 2])
    assert challenger.version != seed_classifiers["spam"].version
    registry.classifier_register(
        classifier=challenger, training_size=1, sources={}, metrics={}, activate=True
    )
    second = make_comment()
    classify_comment.delay(second.pk)
    wait_until(lambda: _scored(second.pk))
    second.refresh_from_db()
    assert second.spam_model_version == challenger.version
