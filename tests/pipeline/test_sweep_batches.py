"""The sweep's batch path: same policy as the single path, never scores a comment twice."""

from datetime import timedelta

from django.utils import timezone

from moderation.comment_scoring import (
    explain_comment,
    score_comment,
    score_comment_and_followers,
    sweep_unscored_comments,
)
from moderation.models import Comment
from moderation.services import CommentScores, comment_apply_scores_batch, comment_approve

VERSIONS = {"spam": "s1", "spoiler": "p1"}


def _scores(comment: Comment, spam: float, spoiler: float = 0.1) -> CommentScores:
    return CommentScores(comment.pk, spam, spoiler, VERSIONS, {"spam": [], "spoiler": []})


def test_the_batch_applies_the_policy_like_the_single_path(make_comment, article):
    spam, held, clean, spoiler = (make_comment() for _ in range(4))
    scored = comment_apply_scores_batch(
        scores=[
            _scores(spam, 0.95),
            _scores(held, 0.6),
            _scores(clean, 0.05),
            _scores(spoiler, 0.05, spoiler=0.9),
        ]
    )
    assert sorted(scored) == sorted(c.pk for c in (spam, held, clean, spoiler))
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses[spam.pk] == "spam"
    assert statuses[held.pk] == "pending"
    assert statuses[clean.pk] == "approved"
    assert Comment.objects.get(pk=spoiler.pk).is_spoiler
    for comment in (spam, held, clean, spoiler):
        event = comment.events.get()
        assert event.action == "scored" and event.actor is None
        assert event.model_versions == VERSIONS


def test_the_batch_skips_scored_comments_and_keeps_decisions(make_comment, moderator):
    already = make_comment()
    comment_apply_scores_batch(scores=[_scores(already, 0.1)])
    decided = make_comment()
    comment_approve(comment_id=decided.pk, actor=moderator)
    scored = comment_apply_scores_batch(scores=[_scores(already, 0.99), _scores(decided, 0.99)])
    assert scored == [decided.pk]
    assert Comment.objects.get(pk=already.pk).spam_score == 0.1
    decided.refresh_from_db()
    assert decided.status == "approved" and decided.spam_score == 0.99


def test_the_sweep_scores_only_after_the_grace_period(make_comment, active_models):
    old = [make_comment(created_at=timezone.now() - timedelta(minutes=5)) for _ in range(7)]
    new = make_comment()
    result = sweep_unscored_comments(older_than=timedelta(seconds=60), batch_size=3)
    assert (result.scored, result.batches, result.finished) == (7, 3, True)
    assert not Comment.objects.filter(pk__in=[c.pk for c in old], scored_at=None).exists()
    assert Comment.objects.get(pk=new.pk).scored_at is None
    assert sweep_unscored_comments(older_than=timedelta(seconds=60)).scored == 0


def test_single_and_batch_paths_agree(make_comment, active_models):
    body = "Cheap loans!!! Click http://loans.example now, limited offer"
    single = make_comment(body=body, created_at=timezone.now() - timedelta(minutes=5))
    score_comment(single.pk)
    batch = make_comment(body=body, created_at=timezone.now() - timedelta(minutes=5))
    result = sweep_unscored_comments(older_than=timedelta(seconds=60))
    a, b = Comment.objects.get(pk=single.pk), Comment.objects.get(pk=batch.pk)
    assert abs(a.spam_score - b.spam_score) < 1e-9
    assert abs(a.spoiler_score - b.spoiler_score) < 1e-9
    assert (a.status, a.is_spoiler, a.uncertainty) == (b.status, b.is_spoiler, b.uncertainty)
    assert b.explanation == {}, "the batch path leaves explanations for later"
    assert (batch.pk in result.flagged) == (a.spam_score >= 0.5 or a.spoiler_score >= 0.5)
    if batch.pk in result.flagged:
        assert explain_comment(batch.pk)
        assert Comment.objects.get(pk=batch.pk).explanation == a.explanation
        assert not explain_comment(batch.pk), "an explanation is stored once"
    else:
        assert a.explanation == {}, "neither path explains an unflagged comment"


def test_it_never_explains_with_a_model_that_did_not_score(make_comment, active_models):
    comment = make_comment(created_at=timezone.now() - timedelta(minutes=5))
    sweep_unscored_comments(older_than=timedelta(seconds=60))
    Comment.objects.filter(pk=comment.pk).update(spam_model_version="retired-model")
    assert not explain_comment(comment.pk)
    assert Comment.objects.get(pk=comment.pk).explanation == {}


def test_a_task_that_runs_behind_scores_the_comments_waiting_after_its_own(
    make_comment, active_models
):
    earlier = make_comment(body="Posted before; its own task scores it")
    own, *waiting = (
        make_comment(body=f"Cheap loans at http://loans.example #{i}") for i in range(4)
    )
    flagged = score_comment_and_followers(own.pk)
    scored = set(Comment.objects.filter(scored_at__isnull=False).values_list("pk", flat=True))
    assert scored == {own.pk, *(c.pk for c in waiting)}
    assert Comment.objects.get(pk=earlier.pk).scored_at is None
    for comment in Comment.objects.filter(pk__in=scored):
        assert comment.events.filter(action="scored").count() == 1
        assert (comment.pk in flagged) == (comment.status != "approved" or comment.is_spoiler)
        assert comment.explanation == {}, "a batch leaves explanations to the training queue"
    assert score_comment_and_followers(waiting[0].pk) == [], "their own tasks find nothing to do"
    assert Comment.objects.filter(events__action="scored").count() == 4


def test_a_comment_that_waits_alone_is_scored_and_explained_at_once(make_comment, active_models):
    comment = make_comment(body="Cheap loans!!! Click http://loans.example now, limited offer")
    assert score_comment_and_followers(comment.pk) == []
    comment.refresh_from_db()
    assert comment.scored_at is not None and comment.status == "spam"
    assert comment.explanation["spam"], "the single path explains a flagged comment at once"


def test_the_batch_is_bounded(make_comment, active_models, settings):
    settings.SCORING_BATCH_SIZE = 3
    comments = [make_comment(body=f"Comment {i}") for i in range(5)]
    score_comment_and_followers(comments[0].pk)
    assert Comment.objects.filter(scored_at__isnull=False).count() == 3
