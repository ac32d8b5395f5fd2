"""Statements of reasons for decisions against a comment, and appeals against them."""

import re

import pytest
from django.core import mail, signing
from django.core.exceptions import PermissionDenied
from django.test import Client

from moderation.appeals import AppealConflict, AppealRefused, appeal_decide, appeal_submit
from moderation.mail_links import DECISION_SALT
from moderation.models import Appeal, Comment, ModerationEvent
from moderation.notifications import notify_comments_rejected
from moderation.services import comment_apply_scores, comment_reject, comment_submit
from tests.conftest import _user
from tests.moderation.mailing import deliver_queued

pytestmark = pytest.mark.django_db

ANN = "ann@example.org"


@pytest.fixture
def anns_comment(article, confirmed_address):
    confirmed_address(ANN)
    return comment_submit(
        article=article, author_name="Ann", author_email=ANN, body="The mayor is a crook."
    )


@pytest.fixture
def second_moderator(db):
    from moderation.roles import MODERATORS

    return _user("dana", MODERATORS)


def _reject(comment: Comment, moderator) -> ModerationEvent:
    comment_reject(comment_id=comment.pk, actor=moderator, reason_code="legal")
    notify_comments_rejected(comment_ids=[comment.pk])
    deliver_queued()
    return comment.events.latest("created_at", "id")


def _decision_path(message) -> str:
    return re.search(r"http://[^/]+(/decisions/\S+/)", message.body).group(1)


def test_a_persons_rejection_sends_a_statement_of_reasons(anns_comment, moderator):
    _reject(anns_comment, moderator)
    [statement] = mail.outbox
    assert statement.to == [ANN]
    assert "defaming someone" in statement.body  # the legal reason's public text
    assert "taken by one of our moderators" in statement.body
    assert "you may appeal once" in statement.body
    assert f'Your comment on "{anns_comment.article.title}" was not published.' in statement.body


def test_a_published_comment_taken_down_is_said_to_be_removed(anns_comment, moderator):
    from moderation.services import comment_approve

    comment_approve(comment_id=anns_comment.pk, actor=moderator)
    _reject(anns_comment, moderator)
    assert "was removed." in mail.outbox[-1].body


def test_an_automatic_decision_says_so_with_the_model_version(anns_comment):
    comment_apply_scores(
        comment_id=anns_comment.pk,
        spam_score=0.97,
        spoiler_score=0.0,
        model_versions={"spam": "a1b2c3d4e5f6a7b8", "spoiler": "p1"},
        explanation={},
    )
    notify_comments_rejected(comment_ids=[anns_comment.pk])
    deliver_queued()
    [statement] = mail.outbox
    assert "spam or advertising" in statement.body
    assert "automatically by our filter (model a1b2c3d4e5f6)" in statement.body


def test_no_statement_goes_to_an_unconfirmed_address(article, moderator):
    comment = comment_submit(article=article, author_name="Ann", author_email=ANN, body="Hm.")
    _reject(comment, moderator)
    assert mail.outbox == []


def test_the_author_reads_the_statement_and_appeals_once_on_its_link(anns_comment, moderator):
    _reject(anns_comment, moderator)
    path = _decision_path(mail.outbox[0])
    client = Client()

    page = client.get(path)
    assert page.status_code == 200
    assert b"Statement of reasons" in page.content and b"defaming someone" in page.content

    assert client.post(path, {"text": ""}).status_code == 400
    assert not Appeal.objects.exists()

    sent = client.post(path, {"text": "It is a fact, <b>proven</b> in court."})
    assert sent.status_code == 200
    appeal = Appeal.objects.get()
    assert appeal.comment == anns_comment and appeal.outcome == "pending"
    assert appeal.reference.encode() in sent.content

    again = client.post(path, {"text": "Please look again."})
    assert again.status_code == 400
    assert b"already appealed" in again.content
    assert Appeal.objects.count() == 1


def test_a_second_appeal_on_the_same_decision_is_refused(anns_comment, moderator):
    event = _reject(anns_comment, moderator)
    appeal_submit(event_id=event.pk, text="Please look again.")
    with pytest.raises(AppealRefused, match="already appealed"):
        appeal_submit(event_id=event.pk, text="And again.")
    assert Appeal.objects.count() == 1


def test_a_decision_in_favour_cannot_be_appealed(anns_comment, moderator):
    from moderation.services import comment_approve

    comment_approve(comment_id=anns_comment.pk, actor=moderator)
    event = anns_comment.events.latest("created_at", "id")
    with pytest.raises(AppealRefused):
        appeal_submit(event_id=event.pk, text="Why?")
    assert not Appeal.objects.exists()


def test_an_appeal_after_the_window_is_refused(anns_comment, moderator, settings):
    event = _reject(anns_comment, moderator)
    settings.APPEAL_WINDOW_DAYS = 0
    with pytest.raises(AppealRefused, match="time to appeal"):
        appeal_submit(event_id=event.pk, text="Please look again.")


def test_the_original_decider_cannot_handle_the_appeal(anns_comment, moderator):
    event = _reject(anns_comment, moderator)
    appeal = appeal_submit(event_id=event.pk, text="Please look again.")
    with pytest.raises(PermissionDenied):
        appeal_decide(appeal_id=appeal.pk, actor=moderator, outcome="reversed")
    appeal.refresh_from_db()
    assert appeal.outcome == "pending"
    assert Comment.objects.get(pk=anns_comment.pk).status == "rejected"


def test_a_reversal_publishes_the_comment_as_a_persons_decision_and_tells_the_author(
    anns_comment, moderator, second_moderator
):
    event = _reject(anns_comment, moderator)
    appeal = appeal_submit(event_id=event.pk, text="It is a fact.")
    mail.outbox.clear()

    appeal_decide(appeal_id=appeal.pk, actor=second_moderator, outcome="reversed", note="Fair.")

    comment = Comment.objects.get(pk=anns_comment.pk)
    assert comment.status == "approved"
    assert comment.decided_by == second_moderator  # a person's decision: a training label
    last = comment.events.latest("created_at", "id")
    assert (last.action, last.actor, last.reason_code) == ("approved", second_moderator, "appeal")
    deliver_queued()
    [outcome] = mail.outbox
    assert "Decision reversed" in outcome.subject
    assert "your comment is now published" in outcome.body
    with pytest.raises(AppealConflict):
        appeal_decide(appeal_id=appeal.pk, actor=second_moderator, outcome="upheld")


def test_an_upheld_decision_is_mailed_and_logged(anns_comment, moderator, second_moderator):
    event = _reject(anns_comment, moderator)
    appeal = appeal_submit(event_id=event.pk, text="It is a fact.")
    mail.outbox.clear()
    appeal_decide(appeal_id=appeal.pk, actor=second_moderator, outcome="upheld")
    deliver_queued()
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.decided_by) == ("upheld", second_moderator)
    assert Comment.objects.get(pk=anns_comment.pk).status == "rejected"
    assert "Decision upheld" in mail.outbox[0].subject


def test_a_link_altered_to_point_at_someone_elses_decision_is_refused(
    anns_comment, moderator, article
):
    others = comment_submit(article=article, author_name="Bo", body="Another comment.")
    comment_reject(comment_id=others.pk, actor=moderator, reason_code="abuse")
    others_event = others.events.latest("created_at", "id")
    _reject(anns_comment, moderator)
    path = _decision_path(mail.outbox[0])
    payload = signing.dumps(others_event.pk, salt=DECISION_SALT).split(":")[0]
    altered = "/decisions/" + ":".join([payload, *path.split("/")[2].split(":")[1:]]) + "/"

    response = Client().post(altered, {"text": "Publish his comment."})
    assert response.status_code == 400
    assert not Appeal.objects.exists()
