"""Sections that name their moderators: only they (and editors) see and decide there."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from articles.models import Article, Section
from moderation.models import Comment, ModerationEvent
from moderation.roles import MODERATORS
from tests.conftest import _user

QUEUE = "/admin/moderation/comment/?queue=all"
OUT_OF_SCOPE = "This comment is in a section you do not moderate"


@pytest.fixture
def dasha(db):
    """A moderator named in the War section."""
    return _user("dasha", MODERATORS)


@pytest.fixture
def war_comment(make_comment, dasha):
    war = Section.objects.create(name="War", slug="war")
    war.moderators.add(dasha)
    front = Article.objects.create(slug="front", title="Front", body="Text.", section=war)
    return make_comment("From the front line.", article=front)


@pytest.fixture
def kyiv_comment(make_comment):
    # The article fixture's section names nobody: every moderator acts there.
    return make_comment("About the bridge.")


def _listed(client) -> set[str]:
    return {c.body for c in client.get(QUEUE).context["cl"].result_list}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("moderator", {"About the bridge."}),
        ("dasha", {"About the bridge.", "From the front line."}),
        ("editor", {"About the bridge.", "From the front line."}),
    ],
)
def test_the_queue_lists_only_the_sections_one_may_moderate(
    client, request, who, expected, war_comment, kyiv_comment
):
    client.force_login(request.getfixturevalue(who))
    assert _listed(client) == expected


@pytest.mark.parametrize(("who", "status"), [("moderator", 403), ("dasha", 200), ("editor", 200)])
def test_a_comment_page_outside_ones_sections_is_forbidden(
    client, request, who, status, war_comment
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(f"/admin/moderation/comment/{war_comment.pk}/change/")
    assert response.status_code == status


def test_deciding_outside_ones_sections_is_refused_and_writes_nothing(
    client, moderator, dasha, war_comment
):
    url = f"/admin/moderation/comment/{war_comment.pk}/decide/"
    data = {"decision": "approve", "expected_status": "pending"}
    client.force_login(moderator)
    response = client.post(url, data, headers={"Accept": "application/json"})
    assert response.status_code == 403
    assert OUT_OF_SCOPE in response.json()["error"]
    assert client.post(url, data).status_code == 403
    assert Comment.objects.get(pk=war_comment.pk).status == "pending"
    assert not ModerationEvent.objects.filter(comment=war_comment).exists()
    client.force_login(dasha)
    assert client.post(url, data, headers={"Accept": "application/json"}).status_code == 200
    assert Comment.objects.get(pk=war_comment.pk).status == "approved"


def _bulk_approve(client, comments):
    data = {
        "action": "approve_selected",
        "index": "0",
        ACTION_CHECKBOX_NAME: [c.pk for c in comments],
        **{f"seen-{c.pk}": c.status for c in comments},
    }
    return client.post(QUEUE, data, follow=True).content.decode()


def test_a_bulk_action_with_a_comment_outside_ones_sections_does_nothing(
    client, moderator, war_comment, kyiv_comment
):
    client.force_login(moderator)
    html = _bulk_approve(client, [kyiv_comment, war_comment])
    assert f"#{war_comment.pk}: {OUT_OF_SCOPE}" in html and "Nothing was changed" in html
    assert set(Comment.objects.values_list("status", flat=True)) == {"pending"}
    assert not ModerationEvent.objects.exists()


def test_a_bulk_action_within_ones_sections_is_done(client, dasha, war_comment, kyiv_comment):
    client.force_login(dasha)
    assert "2 comments: approve done." in _bulk_approve(client, [kyiv_comment, war_comment])
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved"}
