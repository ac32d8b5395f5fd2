"""Undo: a decision taken back through the services, audited, refused with the reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from moderation.models import Comment, CommentReport, ModerationEvent
from moderation.services import (
    comment_approve,
    comment_dismiss_reports,
    comment_reject,
    comment_report,
    comment_set_spoiler,
    comment_undo,
    comment_undo_batch,
)


def _last_event(comment: Comment) -> ModerationEvent:
    return comment.events.order_by("-id").first()


def _age(event: ModerationEvent, seconds: float) -> None:
    # Events are append-only for the code; a test moves one back in time directly.
    ModerationEvent.objects.filter(pk=event.pk).update(
        created_at=event.created_at - timedelta(seconds=seconds)
    )


def test_undo_puts_the_comment_back_as_it_was_and_is_audited(make_comment, moderator):
    comment = make_comment(status="pending")
    comment = comment_reject(comment_id=comment.pk, actor=moderator, reason_code="off_topic")
    rejected = _last_event(comment)
    comment = comment_undo(event_id=rejected.pk, actor=moderator)
    assert (comment.status, comment.decided_by, comment.decided_at) == ("pending", None, None)
    undone = _last_event(comment)
    assert (undone.action, undone.actor, undone.undoes) == ("undone", moderator, rejected)
    assert (undone.from_status, undone.to_status) == ("rejected", "pending")


def test_undo_gives_the_earlier_decision_back(make_comment, moderator, editor):
    comment = make_comment(status="pending")
    comment_approve(comment_id=comment.pk, actor=editor)
    first = _last_event(comment)
    comment = comment_reject(comment_id=comment.pk, actor=moderator, reason_code="abuse")
    comment = comment_undo(event_id=_last_event(comment).pk, actor=moderator)
    assert (comment.status, comment.decided_by) == ("approved", editor)
    assert comment.decided_at == first.created_at


def test_undo_opens_again_the_reports_the_decision_resolved(make_comment, moderator):
    comment = make_comment(status="approved")
    comment_report(comment=comment, reason="abuse")
    comment = comment_dismiss_reports(comment_id=comment.pk, actor=moderator)
    comment = comment_undo(event_id=_last_event(comment).pk, actor=moderator)
    assert comment.reports_count == 1
    assert CommentReport.objects.get().resolved_at is None


def test_undo_after_the_window_is_refused_but_the_history_may_still_undo(make_comment, moderator):
    comment = comment_approve(comment_id=make_comment(status="pending").pk, actor=moderator)
    event = _last_event(comment)
    _age(event, 11)
    with pytest.raises(ValidationError, match="seconds to undo have passed"):
        comment_undo(event_id=event.pk, actor=moderator)
    assert Comment.objects.get(pk=comment.pk).status == "approved"
    assert not ModerationEvent.objects.filter(action="undone").exists()
    comment = comment_undo(event_id=event.pk, actor=moderator, window=None)
    assert comment.status == "pending"


def test_undo_of_a_decision_someone_made_after_is_refused(make_comment, moderator, editor):
    comment = comment_approve(comment_id=make_comment(status="pending").pk, actor=moderator)
    event = _last_event(comment)
    comment_reject(comment_id=comment.pk, actor=editor, reason_code="legal")
    with pytest.raises(ValidationError, match="bob acted on this comment later"):
        comment_undo(event_id=event.pk, actor=moderator, window=None)
    comment.refresh_from_db()
    assert (comment.status, comment.decided_by) == ("rejected", editor)


def test_a_decision_is_undone_once(make_comment, moderator):
    comment = comment_approve(comment_id=make_comment(status="pending").pk, actor=moderator)
    event = _last_event(comment)
    comment_undo(event_id=event.pk, actor=moderator)
    with pytest.raises(ValidationError, match="already undone"):
        comment_undo(event_id=event.pk, actor=moderator, window=None)
    assert ModerationEvent.objects.filter(action="undone").count() == 1


@pytest.mark.parametrize("kind", ["scored", "spoiler", "missing"])
def test_only_a_persons_status_decision_or_dismissal_can_be_undone(make_comment, moderator, kind):
    comment = make_comment(status="pending")
    if kind == "spoiler":
        comment_set_spoiler(comment_id=comment.pk, actor=moderator, is_spoiler=True)
        event_id = _last_event(comment).pk
    elif kind == "scored":
        event_id = ModerationEvent.objects.create(comment=comment, action="scored").pk
    else:
        event_id = 10**9
    with pytest.raises(ValidationError):
        comment_undo(event_id=event_id, actor=moderator)
    assert not ModerationEvent.objects.filter(action="undone").exists()


def test_undoing_a_bulk_decision_is_all_or_nothing(make_comment, moderator, editor):
    first, second = make_comment(status="pending"), make_comment(status="pending")
    events = []
    for comment in (first, second):
        comment_approve(comment_id=comment.pk, actor=moderator)
        events.append(_last_event(comment).pk)
    comment_reject(comment_id=second.pk, actor=editor, reason_code="other")
    with pytest.raises(ValidationError, match=f"Comment #{second.pk}"):
        comment_undo_batch(event_ids=events, actor=moderator)
    assert Comment.objects.get(pk=first.pk).status == "approved"
    assert not ModerationEvent.objects.filter(action="undone").exists()
