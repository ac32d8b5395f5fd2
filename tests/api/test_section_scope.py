"""The API's desk endpoints keep to the sections a moderator may act in."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from articles.models import Article, Section
from moderation.models import Comment, ModerationEvent
from moderation.roles import MODERATORS
from tests.conftest import _user

QUEUE = "/api/v1/moderation/queue/"
BULK = "/api/v1/moderation/comments/bulk/"
OUT_OF_SCOPE = "This comment is in a section you do not moderate"


@pytest.fixture
def dasha_client(db) -> APIClient:
    """A moderator named in the War section."""
    client = APIClient()
    token = Token.objects.create(user=_user("dasha", MODERATORS))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    war = Section.objects.create(name="War", slug="war")
    war.moderators.add(token.user)
    return client


@pytest.fixture
def war_comment(make_comment, dasha_client):
    front = Article.objects.create(
        slug="front", title="Front", body="Text.", section=Section.objects.get(slug="war")
    )
    return make_comment("From the front line.", article=front)


@pytest.fixture
def kyiv_comment(make_comment):
    return make_comment("About the bridge.")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("moderator_client", ["About the bridge."]),
        ("dasha_client", ["About the bridge.", "From the front line."]),
        ("editor_client", ["About the bridge.", "From the front line."]),
    ],
)
def test_the_queue_holds_only_the_sections_one_may_moderate(
    request, who, expected, war_comment, kyiv_comment
):
    body = request.getfixturevalue(who).get(QUEUE).json()
    assert sorted(c["body"] for c in body["results"]) == expected


def _detail(client, comment):
    return client.get(f"/api/v1/moderation/comments/{comment.pk}/")


def test_a_comment_outside_ones_sections_is_forbidden_with_the_reason(
    moderator_client, war_comment
):
    response = _detail(moderator_client, war_comment)
    assert response.status_code == 403
    assert OUT_OF_SCOPE in response.json()["detail"]


@pytest.mark.parametrize("who", ["dasha_client", "editor_client"])
def test_a_comment_in_ones_sections_is_shown(request, who, war_comment):
    assert _detail(request.getfixturevalue(who), war_comment).status_code == 200


def test_a_decision_outside_ones_sections_is_forbidden_and_writes_nothing(
    moderator_client, dasha_client, war_comment
):
    url = f"/api/v1/moderation/comments/{war_comment.pk}/approve/"
    response = moderator_client.post(url, {"expected_status": "pending"}, format="json")
    assert response.status_code == 403
    assert OUT_OF_SCOPE in response.json()["detail"]
    assert Comment.objects.get(pk=war_comment.pk).status == "pending"
    assert not ModerationEvent.objects.exists()
    assert dasha_client.post(url, {"expected_status": "pending"}, format="json").status_code == 200


def test_a_bulk_decision_with_one_comment_outside_ones_sections_does_nothing(
    moderator_client, editor_client, war_comment, kyiv_comment
):
    batch = {
        "action": "approve",
        "items": [
            {"id": kyiv_comment.pk, "expected_status": "pending"},
            {"id": war_comment.pk, "expected_status": "pending"},
        ],
    }
    response = moderator_client.post(BULK, batch, format="json")
    assert response.status_code == 403
    assert response.json()["ids"] == [war_comment.pk]
    assert response.json()["applied"] is False
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}
    assert not ModerationEvent.objects.exists()
    assert editor_client.post(BULK, batch, format="json").status_code == 200
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
