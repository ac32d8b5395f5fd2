"""A person's spoiler review is not a status decision: each stands on its own."""

import pytest

from moderation.retraining import decision_examples
from moderation.selectors import comment_queue
from moderation.services import (
    CommentScores,
    comment_apply_scores,
    comment_apply_scores_batch,
    comment_approve,
    comment_set_spoiler,
)

VERSIONS = {"spam": "s1", "spoiler": "p1"}


def _score_one(comment_id, spam, spoiler):
    comment_apply_scores(
        comment_id=comment_id,
        spam_score=spam,
        spoiler_score=spoiler,
        model_versions=VERSIONS,
        explanation={},
    )


def _score_batch(comment_id, spam, spoiler):
    comment_apply_scores_batch(
        scores=[CommentScores(comment_id, spam, spoiler, VERSIONS, {})],
    )


SCORING_PATHS = pytest.mark.parametrize("score", [_score_one, _score_batch], ids=["one", "batch"])


def _queue_ids(queue):
    return set(comment_queue(queue=queue).values_list("pk", flat=True))


def test_it_stamps_the_spoiler_review_and_leaves_the_status_undecided(make_comment, moderator):
    comment = make_comment(status="spam")
    comment = comment_set_spoiler(comment_id=comment.pk, actor=moderator, is_spoiler=True)
    comment.refresh_from_db()
    assert comment.is_spoiler is True
    assert comment.spoiler_reviewed_by == moderator and comment.spoiler_reviewed_at is not None
    assert comment.decided_by is None and comment.decided_at is None


@SCORING_PATHS
def test_flagging_an_auto_spam_comment_as_spoiler_keeps_it_in_the_auto_spam_queue(
    make_comment, moderator, score
):
    comment = make_comment()
    score(comment.pk, 0.97, 0.1)
    assert comment.pk in _queue_ids("auto_spam")

    comment_set_spoiler(comment_id=comment.pk, actor=moderator, is_spoiler=True)

    comment.refresh_from_db()
    assert comment.status == "spam" and comment.is_spoiler is True
    assert comment.pk in _queue_ids("auto_spam")


@SCORING_PATHS
def test_scoring_still_sets_the_status_of_a_comment_whose_spoiler_flag_a_person_reviewed(
    make_comment, moderator, score
):
    comment = make_comment()
    comment_set_spoiler(comment_id=comment.pk, actor=moderator, is_spoiler=False)

    score(comment.pk, 0.97, 0.99)

    comment.refresh_from_db()
    assert comment.status == "spam"
    assert comment.is_spoiler is False, "the person's review of the flag stands"


def test_the_spoiler_queue_waits_for_a_spoiler_review_not_a_status_decision(
    make_comment, moderator
):
    approved = make_comment("approved by a person", is_spoiler=True)
    reviewed = make_comment("flag confirmed", is_spoiler=True)
    comment_approve(comment_id=approved.pk, actor=moderator)
    comment_set_spoiler(comment_id=reviewed.pk, actor=moderator, is_spoiler=True)
    assert _queue_ids("spoiler") == {approved.pk}


def test_a_spoiler_review_is_a_spoiler_label_and_never_a_spam_label(make_comment, moderator):
    auto_spam = make_comment("Cheap watches at http://spam.example", status="spam")
    comment_set_spoiler(comment_id=auto_spam.pk, actor=moderator, is_spoiler=True)
    approved = make_comment("The hero dies at the end.", is_spoiler=True)
    comment_approve(comment_id=approved.pk, actor=moderator)

    spam_texts, spam_labels = decision_examples("spam")
    spoiler_texts, spoiler_labels = decision_examples("spoiler")

    # The model's own spam verdict is not fed back as a person's label, and approving a
    # comment the model flagged as a spoiler says nothing about the flag.
    assert list(zip(spam_texts, spam_labels, strict=True)) == [("The hero dies at the end.", 0)]
    assert list(zip(spoiler_texts, spoiler_labels, strict=True)) == [
        ("Cheap watches at http://spam.example", 1)
    ]
