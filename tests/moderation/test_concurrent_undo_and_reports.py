"""Undo, a decision and reports racing on one comment: the lock orders them, nothing is
lost or applied twice. Needs PostgreSQL (row locks between connections)."""

import os

import pytest
from django.core.exceptions import ValidationError

from moderation.models import Comment, ModerationEvent
from moderation.services import comment_approve, comment_reject, comment_report, comment_undo
from tests.moderation.racing import race

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="row locks between connections need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_an_undo_waiting_behind_a_later_decision_is_refused(make_comment, moderator, editor):
    comment = comment_approve(comment_id=make_comment(status="pending").pk, actor=moderator)
    approved = comment.events.get()
    outcomes = race(
        lambda: comment_reject(comment_id=comment.pk, actor=editor, reason_code="legal"),
        lambda: comment_undo(event_id=approved.pk, actor=moderator),
        (ValidationError,),
    )
    assert outcomes["first"] == "done"
    assert outcomes["second"].startswith("refused:") and "bob acted" in outcomes["second"]
    assert Comment.objects.get(pk=comment.pk).status == "rejected"
    assert not ModerationEvent.objects.filter(action="undone").exists()


def test_two_reports_at_once_are_both_counted_and_hold_the_comment_once(make_comment, settings):
    settings.REPORTS_HOLD_AT = 2
    comment = make_comment(status="approved")
    outcomes = race(
        lambda: comment_report(comment=comment, reason="abuse"),
        lambda: comment_report(comment=comment, reason="spam"),
        (ValidationError,),
    )
    assert outcomes == {"first": "done", "second": "done"}
    comment.refresh_from_db()
    assert (comment.status, comment.reports_count) == ("pending", 2)
    assert comment.events.filter(action="held_for_reports").count() == 1
