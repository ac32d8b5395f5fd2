"""Readers' reports: a decision or a dismissal resolves them; enough of them hold a comment."""

import pytest
from django.core.exceptions import ValidationError

from moderation.models import Comment, CommentReport, ModerationEvent
from moderation.privacy import commenter_data_erase
from moderation.selectors import QUEUES
from moderation.services import (
    comment_approve,
    comment_dismiss_reports,
    comment_reject,
    comment_report,
)


def _reported(make_comment, times: int, **fields) -> Comment:
    comment = make_comment(status="approved", author_email="olena@example.org", **fields)
    for n in range(times):
        comment_report(comment=comment, reason="abuse", text=f"Rude ({n})")
    comment.refresh_from_db()
    return comment


def test_a_decision_resolves_the_open_reports_and_its_event_says_how_many(make_comment, moderator):
    comment = _reported(make_comment, 2)
    comment = comment_reject(comment_id=comment.pk, actor=moderator, reason_code="abuse")
    assert comment.reports_count == 0
    event = comment.events.get(action="rejected")
    assert event.reports_resolved == 2
    assert set(CommentReport.objects.values_list("resolution", "resolved_event")) == {
        ("decided", event.pk)
    }
    assert not Comment.objects.filter(QUEUES["reported"]).exists()


def test_a_later_report_opens_the_queue_again(make_comment, moderator):
    comment = _reported(make_comment, 1)
    comment_approve(comment_id=comment.pk, actor=moderator)
    comment_report(comment=comment, reason="spam")
    assert list(Comment.objects.filter(QUEUES["reported"])) == [comment]
    assert CommentReport.objects.filter(resolved_at__isnull=True).count() == 1


def test_dismissing_keeps_the_comment_and_closes_its_reports(make_comment, moderator):
    comment = _reported(make_comment, 2)
    comment = comment_dismiss_reports(comment_id=comment.pk, actor=moderator, reason_text="Fair")
    assert (comment.status, comment.reports_count) == ("approved", 0)
    event = comment.events.get(action="reports_dismissed")
    assert (event.actor, event.reports_resolved, event.reason_text) == (moderator, 2, "Fair")
    assert set(CommentReport.objects.values_list("resolution", flat=True)) == {"dismissed"}


def test_enough_open_reports_hold_a_published_comment(make_comment, settings):
    settings.REPORTS_HOLD_AT = 3
    comment = _reported(make_comment, 2)
    assert comment.status == "approved"
    comment_report(comment=comment, reason="abuse")
    comment.refresh_from_db()
    assert (comment.status, comment.reports_count) == ("pending", 3)
    held = comment.events.get(action="held_for_reports")
    assert (held.actor, held.from_status, held.to_status) == (None, "approved", "pending")
    assert list(Comment.objects.filter(QUEUES["reported"])) == [comment]


def test_dismissing_the_reports_of_a_held_comment_publishes_it_again(
    make_comment, moderator, settings
):
    settings.REPORTS_HOLD_AT = 2
    comment = _reported(make_comment, 2)
    assert comment.status == "pending"
    comment = comment_dismiss_reports(comment_id=comment.pk, actor=moderator)
    assert comment.status == "approved"


def test_the_reporter_is_told_the_same_whether_or_not_the_comment_is_held(
    client, make_comment, settings
):
    settings.REPORTS_HOLD_AT = 2
    comment = make_comment(status="approved")
    url = f"/api/v1/comments/{comment.pk}/reports/"
    first = client.post(url, {"reason": "abuse"}, content_type="application/json")
    second = client.post(url, {"reason": "abuse"}, content_type="application/json")
    assert first.status_code == second.status_code == 201
    assert set(first.json()) == set(second.json()) == {"id", "reason", "text", "created_at"}


@pytest.mark.parametrize("case", ["missing", "erased", "no_reports"])
def test_dismissing_what_cannot_be_dismissed_is_refused_and_writes_nothing(
    make_comment, moderator, case
):
    comment = _reported(make_comment, 0 if case == "no_reports" else 1)
    comment_id = comment.pk
    if case == "missing":
        comment_id = comment.pk + 1000
    if case == "erased":
        commenter_data_erase(email="olena@example.org", actor=moderator)
    events_before = ModerationEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        comment_dismiss_reports(comment_id=comment_id, actor=moderator)
    expected = {"missing": "no longer exists", "erased": "no longer exists"}
    assert expected.get(case, "no open reports") in " ".join(refused.value.messages)
    assert ModerationEvent.objects.count() == events_before
    assert CommentReport.objects.filter(resolved_at__isnull=False).count() == 0
