"""Bans and suspensions through the API, the commenter's standing on queue items, and
a banned reader's answers that say nothing of the ban."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from moderation.comment_scoring import score_comment
from moderation.models import Comment, CommenterSanction
from moderation.sanctions import commenter_ban
from tests.pipeline.models import active_models, seed_classifiers  # noqa: F401 - fixtures

SANCTIONS = "/api/v1/moderation/sanctions/"
READER = "reader@example.org"


@pytest.fixture
def known(make_comment):
    return make_comment("An earlier comment.", author_email=READER)


def test_a_moderator_bans_a_commenter(moderator_client, known):
    response = moderator_client.post(
        SANCTIONS, {"kind": "ban", "email": READER, "reason": "touting"}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("kind", "email", "domain", "until", "reason", "state")} == {
        "kind": "ban",
        "email": READER,
        "domain": "",
        "until": None,
        "reason": "touting",
        "state": "active",
    }
    assert body["created_by"] == "alice" and body["lifted_at"] is None
    assert CommenterSanction.objects.get().pk == body["id"]


def test_a_moderator_suspends_a_domain_until_a_date(moderator_client, make_comment):
    make_comment("From a farm.", author_email="bot@farm.example")
    until = (timezone.now() + timedelta(days=7)).isoformat()
    response = moderator_client.post(
        SANCTIONS,
        {"kind": "suspension", "domain": "farm.example", "until": until, "reason": "a farm"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["domain"] == "farm.example"
    assert CommenterSanction.objects.get().until is not None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "ban", "email": "nobody@example.org", "reason": "x"}, "email"),
        ({"kind": "ban", "domain": "not a domain", "reason": "x"}, "domain"),
        ({"kind": "ban", "email": READER, "reason": " "}, "reason"),
        ({"kind": "ban", "email": READER}, "reason"),
        ({"kind": "suspension", "email": READER, "reason": "x"}, "until"),
        (
            {"kind": "suspension", "email": READER, "reason": "x", "until": "2020-01-01T00:00Z"},
            "until",
        ),
        ({"kind": "ban", "email": READER, "reason": "x", "until": "2099-01-01T00:00Z"}, "until"),
        ({"kind": "exile", "email": READER, "reason": "x"}, "kind"),
        ({"kind": "ban", "reason": "x"}, "email"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_nothing_is_written(
    moderator_client, known, data, field
):
    response = moderator_client.post(SANCTIONS, data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert CommenterSanction.objects.count() == 0


def test_only_moderators_may_sanction(anon_client, reader_client, known):
    data = {"kind": "ban", "email": READER, "reason": "touting"}
    assert anon_client.post(SANCTIONS, data, format="json").status_code == 401
    assert reader_client.post(SANCTIONS, data, format="json").status_code == 403
    assert reader_client.get(SANCTIONS).status_code == 403
    assert CommenterSanction.objects.count() == 0


def test_the_list_shows_sanctions_in_force_unless_asked_for_others(
    moderator_client, moderator, known
):
    ban = commenter_ban(actor=moderator, email=READER, reason="touting")
    listed = moderator_client.get(SANCTIONS).json()["results"]
    assert [s["id"] for s in listed] == [ban.pk]
    moderator_client.post(f"{SANCTIONS}{ban.pk}/lift/", {"reason": "appeal"}, format="json")
    assert moderator_client.get(SANCTIONS).json()["results"] == []
    lifted = moderator_client.get(SANCTIONS, {"state": "lifted"}).json()["results"]
    assert [(s["id"], s["lifted_by"], s["lift_reason"]) for s in lifted] == [
        (ban.pk, "alice", "appeal")
    ]
    assert moderator_client.get(SANCTIONS, {"state": "gone"}).status_code == 400


def test_a_sanction_is_lifted_once(moderator_client, editor_client, moderator, known):
    ban = commenter_ban(actor=moderator, email=READER, reason="touting")
    first = editor_client.post(f"{SANCTIONS}{ban.pk}/lift/", {}, format="json")
    second = moderator_client.post(f"{SANCTIONS}{ban.pk}/lift/", {"reason": "x"}, format="json")
    assert first.status_code == 200 and first.json()["state"] == "lifted"
    assert second.status_code == 409 and second.json()["lifted_by"] == "bob"
    assert moderator_client.post(f"{SANCTIONS}999999/lift/", {}, format="json").status_code == 404


def test_queue_items_and_the_detail_give_the_commenters_standing(
    moderator_client, make_comment, commenter_history
):
    commenter_history(READER, *["approved"] * 12)
    trusted = make_comment("A view.", author_email=READER)
    anonymous = make_comment("No email.", author_email="")
    items = moderator_client.get("/api/v1/moderation/queue/").json()["results"]
    standing = {item["id"]: item["commenter_standing"] for item in items}
    assert standing[trusted.pk] == {"kind": "trusted", "label": "trusted: 12 approved"}
    assert standing[anonymous.pk] == {"kind": "unknown", "label": "no email: no history"}
    detail = moderator_client.get(f"/api/v1/moderation/comments/{trusted.pk}/").json()
    assert detail["commenter_standing"]["label"] == "trusted: 12 approved"


def test_the_schema_describes_the_sanctions():
    openapi = SchemaGenerator().get_schema(request=None, public=True)
    assert {"get", "post"} <= set(openapi["paths"]["/api/v1/moderation/sanctions/"])
    assert "post" in openapi["paths"]["/api/v1/moderation/sanctions/{id}/lift/"]


def _submit(client, email: str):
    return client.post(
        "/api/v1/articles/metro-bridge-reopens/comments/",
        {"author_name": "Oksana", "author_email": email, "body": "The repairs were overdue."},
        format="json",
    )


def test_a_banned_reader_gets_the_same_answer_as_anyone(
    anon_client,
    moderator,
    known,
    make_comment,
    active_models,  # noqa: F811
):
    make_comment("Someone else's earlier comment.", author_email="other@example.org")
    commenter_ban(actor=moderator, email=READER, reason="touting")
    banned = _submit(anon_client, READER)
    other = _submit(anon_client, "other@example.org")
    assert banned.status_code == other.status_code == 201
    assert banned.headers.keys() == other.headers.keys()
    neutral = {k: v for k, v in banned.json().items() if k not in ("id", "created_at")}
    assert neutral == {k: v for k, v in other.json().items() if k not in ("id", "created_at")}
    assert neutral["status"] == "pending"


def test_a_banned_readers_own_page_shows_the_comment_awaiting_moderation(
    moderator,
    known,
    article,
    active_models,  # noqa: F811
):
    commenter_ban(actor=moderator, email=READER, reason="touting tickets")
    reader = Client()
    reader.post(
        f"/articles/{article.slug}/comments/",
        {"author_name": "Oksana", "author_email": READER, "body": "The repairs were overdue."},
    )
    comment = Comment.objects.get(body="The repairs were overdue.")
    score_comment(comment.pk)
    comment.refresh_from_db()
    page = reader.get(f"/articles/{article.slug}/").text
    assert comment.status == "rejected"
    assert "The repairs were overdue." in page and "Awaiting moderation" in page
    assert "touting" not in page and "banned" not in page.lower()
