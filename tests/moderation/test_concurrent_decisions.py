"""Two moderators decide the same comment at the same moment: one wins, one is told.

Needs PostgreSQL (row locks between connections); runs in CI's second pass, where
DATABASE_URL points at it.
"""

import os

import pytest

from moderation.models import Comment, ModerationEvent
from moderation.services import CommentConflict, comment_approve, comment_mark_spam
from tests.moderation.racing import race

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="row locks between connections need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_of_two_moderators_deciding_at_once_exactly_one_wins(make_comment, moderator, editor):
    comment = make_comment(status="pending")
    outcomes = race(
        lambda: comment_approve(comment_id=comment.pk, actor=moderator, expected_status="pending"),
        lambda: comment_mark_spam(comment_id=comment.pk, actor=editor, expected_status="pending"),
        (CommentConflict,),
    )

    assert outcomes == {
        "first": "done",
        "second": f"refused: Comment {comment.pk} is now approved.",
    }
    assert Comment.objects.get(pk=comment.pk).status == "approved"
    decisions = ModerationEvent.objects.filter(comment=comment, actor__isnull=False)
    assert list(decisions.values_list("action", "actor")) == [("approved", moderator.pk)]
