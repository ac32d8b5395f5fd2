"""The API's dismissal of reports and undo: through the services, refused with the reason."""

from datetime import timedelta

import pytest

from moderation import services
from moderation.models import Comment, CommentReport, ModerationEvent

pytestmark = pytest.mark.django_db


def test_it_dismisses_reports_and_keeps_the_comment(moderator_client, make_comment):
    comment = make_comment(status="approved")
    services.comment_report(comment=comment, reason="spam")
    response = moderator_client.post(
        f"/api/v1/moderation/comments/{comment.pk}/dismiss-reports/",
        {"reason_text": "An opinion, not spam."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved" and response.json()["reports_count"] == 0
    assert CommentReport.objects.get().resolution == "dismissed"


@pytest.mark.parametrize("case", ["missing", "no_reports"])
def test_dismissing_what_cannot_be_dismissed_is_a_400(moderator_client, make_comment, case):
    comment = make_comment(status="approved")
    pk = comment.pk + 100 if case == "missing" else comment.pk
    response = moderator_client.post(f"/api/v1/moderation/comments/{pk}/dismiss-reports/")
    assert response.status_code == 400
    assert "comment" in response.json()
    assert not ModerationEvent.objects.filter(action="reports_dismissed").exists()


def test_it_undoes_a_decision_within_the_window(moderator_client, make_comment, moderator):
    comment = services.comment_approve(comment_id=make_comment().pk, actor=moderator)
    event = comment.events.get()
    response = moderator_client.post(f"/api/v1/moderation/events/{event.pk}/undo/")
    assert response.status_code == 200 and response.json()["status"] == "pending"


def test_an_undo_after_the_window_needs_the_history(moderator_client, make_comment, moderator):
    comment = services.comment_approve(comment_id=make_comment().pk, actor=moderator)
    event = comment.events.get()
    ModerationEvent.objects.filter(pk=event.pk).update(
        created_at=event.created_at - timedelta(minutes=5)
    )
    late = moderator_client.post(f"/api/v1/moderation/events/{event.pk}/undo/")
    assert late.status_code == 400 and "seconds to undo have passed" in str(late.json())
    assert Comment.objects.get(pk=comment.pk).status == "approved"
    history = moderator_client.post(
        f"/api/v1/moderation/events/{event.pk}/undo/", {"from_history": True}, format="json"
    )
    assert history.status_code == 200 and history.json()["status"] == "pending"


def test_undoing_what_someone_decided_after_is_a_400_with_the_reason(
    moderator_client, make_comment, moderator, editor
):
    comment = services.comment_approve(comment_id=make_comment().pk, actor=moderator)
    event = comment.events.get()
    services.comment_reject(comment_id=comment.pk, actor=editor, reason_code="legal")
    response = moderator_client.post(f"/api/v1/moderation/events/{event.pk}/undo/")
    assert response.status_code == 400 and "bob acted on this comment later" in str(response.json())
    assert Comment.objects.get(pk=comment.pk).status == "rejected"


def test_undoing_an_event_that_does_not_exist_is_a_404(moderator_client):
    assert moderator_client.post("/api/v1/moderation/events/123456/undo/").status_code == 404


def test_a_comments_history_names_reasons_in_words_and_the_undone_decision(
    moderator_client, make_comment, moderator
):
    comment = services.comment_reject(
        comment_id=make_comment().pk, actor=moderator, reason_code="off_topic"
    )
    rejected = comment.events.get()
    moderator_client.post(f"/api/v1/moderation/events/{rejected.pk}/undo/")
    events = moderator_client.get(f"/api/v1/moderation/comments/{comment.pk}/").json()["events"]
    assert [(e["action"], e["reason_label"], e["undoes"]) for e in events] == [
        ("rejected", "Off topic", None),
        ("undone", "", rejected.pk),
    ]
