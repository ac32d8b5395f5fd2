import pytest
from django.core.exceptions import ValidationError

from moderation.models import Comment, ModerationEvent
from moderation.services import (
    CommentConflict,
    comment_approve,
    comment_mark_spam,
    comment_reject,
    comment_report,
    comment_set_spoiler,
)


def test_it_approves_and_records_who_did_it(make_comment, moderator):
    comment = make_comment(status="pending", spam_score=0.6, spam_model_version="abc")
    comment = comment_approve(comment_id=comment.pk, actor=moderator, expected_status="pending")
    assert comment.status == "approved"
    assert comment.decided_by == moderator and comment.decided_at is not None
    event = comment.events.get()
    assert (event.actor, event.action, event.from_status, event.to_status) == (
        moderator,
        "approved",
        "pending",
        "approved",
    )
    assert event.model_versions["spam"] == "abc"
    assert event.scores["spam"] == 0.6


def test_it_rejects_with_a_reason(make_comment, moderator):
    comment = make_comment(status="pending")
    comment = comment_reject(
        comment_id=comment.pk, actor=moderator, reason_code="abuse", reason_text="Personal attack"
    )
    assert comment.status == "rejected"
    event = comment.events.get()
    assert (event.reason_code, event.reason_text) == ("abuse", "Personal attack")


def test_it_refuses_a_reject_reason_not_in_the_list_and_changes_nothing(make_comment, moderator):
    comment = make_comment(status="pending")
    with pytest.raises(ValidationError) as excinfo:
        comment_reject(comment_id=comment.pk, actor=moderator, reason_code="rude")
    assert "reason_code" in excinfo.value.message_dict
    comment.refresh_from_db()
    assert comment.status == "pending" and not comment.events.exists()


def test_it_refuses_a_decision_on_a_comment_changed_since_its_etag(make_comment, moderator):
    comment = make_comment(status="pending")
    seen = comment.etag
    comment_set_spoiler(comment_id=comment.pk, actor=moderator, is_spoiler=True)
    with pytest.raises(CommentConflict):
        comment_approve(comment_id=comment.pk, actor=moderator, expected_etag=seen)
    comment.refresh_from_db()
    assert comment.status == "pending"
    current = comment.etag
    comment_approve(comment_id=comment.pk, actor=moderator, expected_etag=current)
    assert Comment.objects.get(pk=comment.pk).status == "approved"


def test_it_returns_409_state_when_already_decided(make_comment, moderator, editor):
    comment = make_comment(status="pending")
    comment_mark_spam(comment_id=comment.pk, actor=editor, expected_status="pending")
    with pytest.raises(CommentConflict) as excinfo:
        comment_approve(comment_id=comment.pk, actor=moderator, expected_status="pending")
    assert excinfo.value.comment.status == "spam"
    comment.refresh_from_db()
    assert comment.status == "spam" and comment.decided_by == editor
    assert comment.events.count() == 1


def test_it_sets_and_clears_the_spoiler_flag(make_comment, moderator):
    comment = make_comment(status="approved")
    comment = comment_set_spoiler(comment_id=comment.pk, actor=moderator, is_spoiler=True)
    assert comment.is_spoiler and comment.status == "approved"
    comment = comment_set_spoiler(comment_id=comment.pk, actor=moderator, is_spoiler=False)
    assert not comment.is_spoiler
    assert list(comment.events.values_list("action", flat=True)) == [
        "spoiler_set",
        "spoiler_cleared",
    ]


def test_it_counts_reader_reports(make_comment):
    comment = make_comment(status="approved")
    comment_report(comment=comment, reason="abuse", text="Rude")
    comment_report(comment=comment, reason="spam")
    comment.refresh_from_db()
    assert comment.reports_count == 2
    assert comment.events.filter(action="reported").count() == 2


def test_events_are_append_only(make_comment, moderator):
    comment = comment_approve(comment_id=make_comment().pk, actor=moderator)
    event = comment.events.get()
    event.action = "rejected"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert ModerationEvent.objects.get().action == "approved"
