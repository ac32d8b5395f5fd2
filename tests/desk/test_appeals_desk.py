"""The appeal queue in the desk: another moderator than the one who decided handles it."""

import pytest
from django.test import Client

from moderation.appeals import appeal_submit
from moderation.models import Appeal, Comment
from moderation.roles import MODERATORS
from moderation.services import comment_reject
from tests.conftest import _user

pytestmark = pytest.mark.django_db


@pytest.fixture
def appealed(make_comment, moderator):
    comment = make_comment("The mayor is a crook.", status="approved", author_email="a@example.org")
    comment_reject(comment_id=comment.pk, actor=moderator, reason_code="legal")
    return appeal_submit(event_id=comment.events.latest("id").pk, text="It is proven.")


def _desk(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_original_decider_does_not_see_the_appeal_in_the_queue(appealed, moderator):
    page = _desk(moderator).get("/admin/moderation/appeal/")
    assert page.status_code == 200
    assert appealed.reference.encode() not in page.content
    assert b"It is proven." not in page.content


def test_the_original_decider_cannot_reverse_it_by_posting_the_action(appealed, moderator):
    _desk(moderator).post(
        "/admin/moderation/appeal/?outcome__exact=pending",
        {"action": "reverse", "_selected_action": [appealed.pk]},
    )
    appealed.refresh_from_db()
    assert appealed.outcome == "pending"
    assert Comment.objects.get(pk=appealed.comment_id).status == "rejected"


def test_another_moderator_reverses_it_from_the_queue(appealed):
    other = _user("dana", MODERATORS)
    desk = _desk(other)
    page = desk.get("/admin/moderation/appeal/")
    assert appealed.reference.encode() in page.content
    response = desk.post(
        "/admin/moderation/appeal/?outcome__exact=pending",
        {"action": "reverse", "_selected_action": [appealed.pk]},
    )
    assert response.status_code == 302
    appealed.refresh_from_db()
    assert (appealed.outcome, appealed.decided_by) == ("reversed", other)
    assert Comment.objects.get(pk=appealed.comment_id).status == "approved"
    assert Appeal.objects.filter(outcome="pending").count() == 0


def test_a_moderator_of_another_section_cannot_decide_the_appeal(appealed, article):
    from django.core.exceptions import PermissionDenied

    from articles.models import Section
    from moderation.appeals import appeal_decide

    outsider = _user("oleh", MODERATORS)
    kyiv = Section.objects.get(pk=article.section_id)
    kyiv.moderators.add(_user("dasha", MODERATORS))
    assert (
        appealed.reference.encode() not in _desk(outsider).get("/admin/moderation/appeal/").content
    )
    with pytest.raises(PermissionDenied):
        appeal_decide(appeal_id=appealed.pk, actor=outsider, outcome="reversed")
    appealed.refresh_from_db()
    assert appealed.outcome == "pending"
