"""One decision at a time: the keyboard's endpoint and the comment page's buttons."""

import pytest

from moderation.models import Comment, ModerationEvent

JSON = {"HTTP_ACCEPT": "application/json"}


def decide_url(comment):
    return f"/admin/moderation/comment/{comment.pk}/decide/"


def test_it_approves_and_answers_with_the_new_state(client, moderator, make_comment):
    comment = make_comment()
    client.force_login(moderator)
    response = client.post(
        decide_url(comment), {"decision": "approve", "expected_status": "pending"}, **JSON
    )
    assert response.status_code == 200
    assert response.json()["comment"] | {"decided_at": None} == {
        "id": comment.pk,
        "status": "approved",
        "status_display": "Approved",
        "is_spoiler": False,
        "decided_by": "alice",
        "decided_at": None,
        "spoiler_reviewed_by": None,
    }
    event = ModerationEvent.objects.get(comment=comment, action="approved")
    assert event.actor == moderator and event.from_status == "pending"


def test_it_rejects_with_a_reason_code_and_text(client, moderator, make_comment):
    comment = make_comment()
    client.force_login(moderator)
    response = client.post(
        decide_url(comment),
        {
            "decision": "reject",
            "expected_status": "pending",
            "reason_code": "legal",
            "reason_text": "Names a witness",
        },
        **JSON,
    )
    assert response.status_code == 200
    event = ModerationEvent.objects.get(comment=comment, action="rejected")
    assert (event.reason_code, event.reason_text) == ("legal", "Names a witness")


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "reject", "expected_status": "pending"},
        {"decision": "reject", "expected_status": "pending", "reason_code": "rude"},
        {"decision": "spoiler", "expected_status": "pending"},
        {"decision": "delete"},
        {"decision": "approve", "expected_status": "gone"},
        {"decision": "approve"},
        {"decision": "spoiler", "is_spoiler": "true"},
    ],
)
def test_it_answers_400_with_field_errors(client, moderator, make_comment, data):
    comment = make_comment()
    client.force_login(moderator)
    response = client.post(decide_url(comment), data, **JSON)
    assert response.status_code == 400 and response.json()["errors"]
    assert Comment.objects.get(pk=comment.pk).status == "pending"


def test_it_answers_409_with_the_current_state_when_someone_decided_first(
    client, moderator, editor, make_comment
):
    comment = make_comment()
    client.force_login(editor)
    client.post(decide_url(comment), {"decision": "spam", "expected_status": "pending"}, **JSON)
    client.force_login(moderator)
    response = client.post(
        decide_url(comment), {"decision": "approve", "expected_status": "pending"}, **JSON
    )
    assert response.status_code == 409
    assert response.json()["comment"]["status"] == "spam"
    assert response.json()["comment"]["decided_by"] == "bob"
    assert Comment.objects.get(pk=comment.pk).status == "spam"


def test_it_toggles_the_spoiler_flag(client, moderator, make_comment):
    comment = make_comment(status="approved")
    client.force_login(moderator)
    response = client.post(
        decide_url(comment),
        {"decision": "spoiler", "expected_status": "approved", "is_spoiler": "true"},
        **JSON,
    )
    assert response.json()["comment"]["is_spoiler"] is True
    assert ModerationEvent.objects.filter(comment=comment, action="spoiler_set").exists()


def test_the_page_buttons_redirect_back_with_a_message(client, moderator, make_comment):
    comment = make_comment()
    client.force_login(moderator)
    page = f"/admin/moderation/comment/{comment.pk}/change/"
    response = client.post(
        decide_url(comment),
        {"decision": "spam", "expected_status": "pending", "next": page},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page
    assert "spam done" in response.content.decode()


def test_it_ignores_a_next_url_elsewhere(client, moderator, make_comment):
    comment = make_comment()
    client.force_login(moderator)
    response = client.post(
        decide_url(comment), {"decision": "approve", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/admin/moderation/comment/{comment.pk}/change/"


def test_it_needs_a_post_and_a_csrf_token(moderator, make_comment):
    from django.test import Client

    comment = make_comment()
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    assert client.get(decide_url(comment)).status_code == 405
    assert client.post(decide_url(comment), {"decision": "approve"}, **JSON).status_code == 403
    assert Comment.objects.get(pk=comment.pk).status == "pending"


def test_a_stranger_cannot_decide(client, stranger, make_comment):
    comment = make_comment()
    client.force_login(stranger)
    response = client.post(decide_url(comment), {"decision": "approve"}, **JSON)
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).status == "pending"
