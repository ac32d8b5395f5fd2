import pytest

from moderation.models import Comment, ModerationEvent

pytestmark = pytest.mark.django_db
BULK = "/api/v1/moderation/comments/bulk/"


def items(*comments, expected: str = "pending") -> list[dict]:
    return [{"id": c.pk, "expected_status": expected} for c in comments]


def test_it_decides_every_comment_with_an_event_each(moderator_client, make_comment):
    comments = [make_comment(status="pending") for _ in range(3)]
    response = moderator_client.post(
        BULK, {"action": "approve", "items": items(*comments)}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["applied"] is True
    assert [r["outcome"] for r in body["results"]] == ["applied"] * 3
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
    assert ModerationEvent.objects.filter(action="approved").count() == 3


def test_it_rejects_in_bulk_with_a_reason(moderator_client, make_comment):
    comments = [make_comment(status="pending") for _ in range(2)]
    response = moderator_client.post(
        BULK,
        {"action": "reject", "items": items(*comments), "reason_code": "off_topic"},
        format="json",
    )
    assert response.status_code == 200
    assert set(ModerationEvent.objects.values_list("reason_code", flat=True)) == {"off_topic"}


def test_one_unknown_id_changes_nothing(moderator_client, make_comment):
    comments = [make_comment(status="pending") for _ in range(3)]
    batch = [*items(*comments), {"id": 999999, "expected_status": "pending"}]
    response = moderator_client.post(BULK, {"action": "spam", "items": batch}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["applied"] is False
    assert [r["outcome"] for r in body["results"]] == ["not_applied"] * 3 + ["not_found"]
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}
    assert not ModerationEvent.objects.exists()


def test_one_comment_decided_meanwhile_changes_nothing(moderator_client, make_comment):
    fresh = make_comment(status="pending")
    decided = make_comment(status="approved")
    response = moderator_client.post(
        BULK,
        {"action": "reject", "items": items(fresh, decided), "reason_code": "abuse"},
        format="json",
    )
    assert response.status_code == 409
    outcomes = {r["id"]: (r["outcome"], r["status"]) for r in response.json()["results"]}
    assert outcomes == {
        fresh.pk: ("not_applied", "pending"),
        decided.pk: ("conflict", "approved"),
    }
    assert Comment.objects.get(pk=fresh.pk).status == "pending"


def test_a_failure_midway_rolls_back_the_decisions_already_made(
    moderator_client, make_comment, monkeypatch
):
    comments = [make_comment(status="pending") for _ in range(3)]
    from moderation import bulk

    real = bulk.comment_approve
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["comment_id"])
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(bulk, "comment_approve", flaky)
    moderator_client.raise_request_exception = False
    response = moderator_client.post(
        BULK, {"action": "approve", "items": items(*comments)}, format="json"
    )
    assert response.status_code == 500
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}
    assert not ModerationEvent.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"action": "approve", "items": []}, "items"),
        ({"action": "approve"}, "items"),
        ({"action": "publish", "items": [{"id": 1, "expected_status": "pending"}]}, "action"),
        ({"action": "reject", "items": [{"id": 1, "expected_status": "pending"}]}, "reason_code"),
        ({"action": "spoiler", "items": [{"id": 1, "expected_status": "pending"}]}, "is_spoiler"),
        ({"action": "approve", "items": [{"id": 1}]}, "items"),
        ({"action": "approve", "items": [{"id": 2**70, "expected_status": "pending"}]}, "items"),
        (
            {
                "action": "approve",
                "items": [{"id": 1, "expected_status": "pending"}] * 2,
            },
            "items",
        ),
    ],
)
def test_it_answers_400_for_a_malformed_batch(moderator_client, body, field):
    response = moderator_client.post(BULK, body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_it_takes_at_most_500_comments(moderator_client):
    batch = [{"id": i, "expected_status": "pending"} for i in range(1, 502)]
    response = moderator_client.post(BULK, {"action": "approve", "items": batch}, format="json")
    assert response.status_code == 400 and "items" in response.json()


def test_it_decides_500_comments_at_once(moderator_client, make_comment):
    comments = Comment.objects.bulk_create(
        Comment(article=make_comment().article, author_name="A", body="B") for _ in range(500)
    )
    response = moderator_client.post(
        BULK, {"action": "spam", "items": items(*comments)}, format="json"
    )
    assert response.status_code == 200
    assert Comment.objects.filter(status="spam").count() == 500
