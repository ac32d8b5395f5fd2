import pytest

from moderation.models import Comment, ModerationEvent

pytestmark = pytest.mark.django_db


def decide(client, comment, action: str, headers: dict | None = None, **body):
    return client.post(
        f"/api/v1/moderation/comments/{comment.pk}/{action}/",
        body,
        format="json",
        **(headers or {}),
    )


def test_it_approves_through_the_service_and_leaves_an_event(
    moderator_client, make_comment, moderator
):
    comment = make_comment(status="pending", spam_score=0.6, spam_model_version="v1")
    response = decide(moderator_client, comment, "approve", expected_status="pending")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "approved" and body["decided_by"] == moderator.username
    assert response["ETag"] == body["etag"]
    event = body["events"][-1]
    assert (event["actor"], event["action"], event["from_status"], event["to_status"]) == (
        moderator.username,
        "approved",
        "pending",
        "approved",
    )
    assert event["model_versions"]["spam"] == "v1"


def test_it_rejects_with_a_reason_code_and_text(moderator_client, make_comment):
    comment = make_comment(status="pending")
    response = decide(
        moderator_client,
        comment,
        "reject",
        expected_status="pending",
        reason_code="abuse",
        reason_text="Insults another reader",
    )
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    event = ModerationEvent.objects.get(comment=comment, action="rejected")
    assert (event.reason_code, event.reason_text) == ("abuse", "Insults another reader")


def test_it_needs_a_known_reason_to_reject(moderator_client, make_comment):
    comment = make_comment(status="pending")
    missing = decide(moderator_client, comment, "reject", expected_status="pending")
    unknown = decide(
        moderator_client, comment, "reject", expected_status="pending", reason_code="meh"
    )
    assert missing.status_code == unknown.status_code == 400
    assert "reason_code" in missing.json() and "reason_code" in unknown.json()
    assert Comment.objects.get().status == "pending"


def test_it_marks_spam(moderator_client, make_comment):
    comment = make_comment(status="pending")
    response = decide(moderator_client, comment, "spam", expected_status="pending")
    assert response.json()["status"] == "spam"


def test_it_sets_and_clears_the_spoiler_flag(moderator_client, make_comment):
    comment = make_comment(status="approved")
    on = decide(moderator_client, comment, "spoiler", expected_status="approved", is_spoiler=True)
    assert on.json()["is_spoiler"] is True and on.json()["status"] == "approved"
    off = decide(moderator_client, comment, "spoiler", expected_status="approved", is_spoiler=False)
    assert off.json()["is_spoiler"] is False
    actions = list(comment.events.values_list("action", flat=True))
    assert actions == ["spoiler_set", "spoiler_cleared"]


def test_it_answers_409_with_the_current_state_when_someone_decided_first(
    moderator_client, editor_client, make_comment, editor
):
    comment = make_comment(status="pending")
    assert decide(editor_client, comment, "spam", expected_status="pending").status_code == 200
    response = decide(moderator_client, comment, "approve", expected_status="pending")
    assert response.status_code == 409
    current = response.json()["current"]
    assert current["status"] == "spam" and current["decided_by"] == editor.username
    assert Comment.objects.get().status == "spam"
    assert comment.events.count() == 1


def test_it_decides_on_a_matching_etag_and_refuses_a_stale_one(moderator_client, make_comment):
    comment = make_comment(status="pending")
    etag = moderator_client.get(f"/api/v1/moderation/comments/{comment.pk}/")["ETag"]
    ok = decide(moderator_client, comment, "spoiler", {"HTTP_IF_MATCH": etag}, is_spoiler=True)
    assert ok.status_code == 200 and ok["ETag"] != etag
    stale = decide(moderator_client, comment, "approve", {"HTTP_IF_MATCH": etag})
    assert stale.status_code == 409
    assert stale.json()["current"]["is_spoiler"] is True
    assert Comment.objects.get().status == "pending"


def test_it_needs_the_status_seen_or_an_etag(moderator_client, make_comment):
    comment = make_comment(status="pending")
    response = decide(moderator_client, comment, "approve")
    assert response.status_code == 400 and "expected_status" in response.json()


@pytest.mark.parametrize("if_match", ["*", ' "a", * '])
def test_it_refuses_a_blind_if_match(moderator_client, make_comment, if_match):
    comment = make_comment(status="pending")
    response = decide(moderator_client, comment, "approve", {"HTTP_IF_MATCH": if_match})
    assert response.status_code == 400 and "If-Match" in response.json()
    assert Comment.objects.get().status == "pending" and not comment.events.exists()


def test_it_answers_404_for_an_unknown_comment(moderator_client):
    response = moderator_client.post(
        "/api/v1/moderation/comments/424242/approve/", {"expected_status": "pending"}, format="json"
    )
    assert response.status_code == 404


def test_it_shows_a_comment_with_its_events(moderator_client, make_comment, moderator):
    comment = make_comment(status="pending")
    decide(moderator_client, comment, "approve", expected_status="pending")
    response = moderator_client.get(f"/api/v1/moderation/comments/{comment.pk}/")
    assert response.status_code == 200
    assert [e["action"] for e in response.json()["events"]] == ["approved"]
    assert moderator_client.get("/api/v1/moderation/comments/424242/").status_code == 404
