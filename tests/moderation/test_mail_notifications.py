"""Mail to readers who ticked the box: double opt-in, decisions, replies in a digest,
one-click unsubscribe per kind."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from moderation.models import Comment, MailKind, MailNotification, MailRecipient
from moderation.notifications import (
    mail_mute,
    mail_sweep_overdue,
    notify_comments_published,
    notify_comments_rejected,
)
from moderation.services import comment_approve, comment_reject, comment_submit
from moderation.tasks import MAIL_MAX_RETRIES, send_mail_notification
from tests.moderation.mailing import deliver_queued, end_digest_window

pytestmark = pytest.mark.django_db

ANN = "ann@example.org"
BO = "bo@example.org"


def _post(article, *, email: str = ANN, notify: bool = True, name: str = "Ann", **fields):
    return comment_submit(
        article=article,
        author_name=name,
        author_email=email,
        body=fields.pop("body", "The repairs took far too long."),
        notify=notify,
        **fields,
    )


def _approve(comment: Comment, moderator) -> None:
    comment_approve(comment_id=comment.pk, actor=moderator)
    notify_comments_published(comment_ids=[comment.pk])


def test_an_unconfirmed_address_gets_only_the_confirmation(
    article, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = _post(article)
        _post(article, body="And a second thought on the bridge.")
    deliver_queued()
    _approve(comment, moderator)
    deliver_queued()

    assert [m.subject for m in mail.outbox] == ["Please confirm your email address"]
    assert mail.outbox[0].to == [ANN]
    assert not MailNotification.objects.filter(kind=MailKind.DECISION).exists()


def test_a_confirmed_reader_is_told_their_comment_is_published(
    article, moderator, confirmed_address
):
    confirmed_address(ANN)
    comment = _post(article)
    _approve(comment, moderator)
    deliver_queued()

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == f'Your comment on "{article.title}" is published'
    assert f"#comment-{comment.pk}" in mail.outbox[0].body


def test_no_box_ticked_no_mail(article, moderator, confirmed_address):
    confirmed_address(ANN)
    comment = _post(article, notify=False)
    _approve(comment, moderator)
    deliver_queued()
    assert mail.outbox == []


def test_ticking_the_box_without_an_email_is_a_field_error(article):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _post(article, email="")
    assert "author_email" in error.value.message_dict
    assert not Comment.objects.exists()


def test_a_reply_to_a_pending_reply_sends_nothing_until_it_is_approved(
    article, moderator, confirmed_address
):
    confirmed_address(ANN)
    mine = _post(article)
    _approve(mine, moderator)
    deliver_queued()
    mail.outbox.clear()
    reply = _post(article, email=BO, name="Bo", notify=False, parent_id=mine.pk)

    notify_comments_published(comment_ids=[reply.pk])  # still pending: not published
    end_digest_window()
    deliver_queued()
    assert mail.outbox == []

    _approve(reply, moderator)
    end_digest_window()
    deliver_queued()
    assert [m.subject for m in mail.outbox] == ["Bo replied to your comment"]
    assert "The repairs took far too long." in mail.outbox[0].body


def test_replies_within_the_window_arrive_as_one_digest(article, moderator, confirmed_address):
    confirmed_address(ANN)
    mine = _post(article)
    _approve(mine, moderator)
    deliver_queued()
    mail.outbox.clear()
    for name in ("Bo", "Cy", "Di"):
        reply = _post(article, email="", name=name, notify=False, parent_id=mine.pk)
        _approve(reply, moderator)
    deliver_queued()
    assert mail.outbox == []  # the window has not passed

    end_digest_window()
    deliver_queued()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "3 replies to your comments"
    assert all(f"{name} replied" in mail.outbox[0].body for name in ("Bo", "Cy", "Di"))


def test_a_reader_is_not_told_of_their_own_reply(article, moderator, confirmed_address):
    confirmed_address(ANN)
    mine = _post(article, notify=True)
    _approve(mine, moderator)
    deliver_queued()
    mail.outbox.clear()
    _approve(_post(article, notify=False, parent_id=mine.pk), moderator)
    end_digest_window()
    deliver_queued()
    assert mail.outbox == []


def test_a_decision_is_mailed_once_however_often_it_is_announced(
    article, moderator, confirmed_address
):
    confirmed_address(ANN)
    comment = _post(article)
    _approve(comment, moderator)
    notify_comments_published(comment_ids=[comment.pk])
    deliver_queued()
    assert len(mail.outbox) == 1


def _unsubscribe_link(message, kind_text: str = "") -> str:
    header = message.extra_headers["List-Unsubscribe"]
    return re.fullmatch(r"<http://[^/]+(/mail/unsubscribe/[^>]+)>", header).group(1)


def test_mails_carry_one_click_unsubscribe_headers(article, moderator, confirmed_address):
    confirmed_address(ANN)
    _approve(_post(article), moderator)
    deliver_queued()
    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/mail/unsubscribe/")
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_one_click_unsubscribe_stops_exactly_that_kind(article, moderator, confirmed_address):
    confirmed_address(ANN)
    mine = _post(article)
    _approve(mine, moderator)
    deliver_queued()
    link = _unsubscribe_link(mail.outbox[0])
    mail.outbox.clear()

    # What a mail client sends for RFC 8058: a POST, no cookie, no CSRF token.
    response = Client(enforce_csrf_checks=True).post(
        link, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert MailRecipient.objects.get(email=ANN).muted_kinds == [MailKind.DECISION]

    second = _post(article, body="Another view on the bridge.", parent_id=None)
    _approve(second, moderator)  # a decision: turned off
    _approve(_post(article, email=BO, name="Bo", notify=False, parent_id=mine.pk), moderator)
    end_digest_window()
    deliver_queued()
    assert [m.subject for m in mail.outbox] == ["Bo replied to your comment"]


def test_opening_the_unsubscribe_link_alone_changes_nothing(article, moderator, confirmed_address):
    confirmed_address(ANN)
    _approve(_post(article), moderator)
    deliver_queued()
    response = Client().get(_unsubscribe_link(mail.outbox[0]))
    assert response.status_code == 200
    assert b"Stop these mails" in response.content
    assert MailRecipient.objects.get(email=ANN).muted_kinds == []


def test_unsubscribe_from_all_stops_every_kind(article, moderator, confirmed_address, client):
    confirmed_address(ANN)
    mine = _post(article)
    _approve(mine, moderator)
    deliver_queued()
    link = re.search(r"To stop all mails from us: http://[^/]+(\S+)", mail.outbox[0].body).group(1)
    mail.outbox.clear()
    assert client.post(link).status_code == 200

    _approve(_post(article, email=BO, name="Bo", notify=False, parent_id=mine.pk), moderator)
    _approve(_post(article, body="A third comment."), moderator)
    end_digest_window()
    deliver_queued()
    assert mail.outbox == []


def test_a_name_cannot_inject_mail_headers(article, moderator, confirmed_address):
    confirmed_address(ANN)
    mine = _post(article)
    _approve(mine, moderator)
    deliver_queued()
    mail.outbox.clear()
    evil = "Eve\nBcc: victim@example.net\nSubject: You won"
    reply = _post(article, email="", name=evil[:80], notify=False, parent_id=mine.pk)
    _approve(reply, moderator)
    end_digest_window()
    deliver_queued()

    sent = mail.outbox[0].message()
    assert sent["Bcc"] is None
    assert sent.get_all("Subject") == [
        "Eve Bcc: victim@example.net Subject: You won replied to your comment"
    ]
    assert mail.outbox[0].recipients() == [ANN]


def test_a_failing_mail_server_is_retried_and_the_mail_then_sent(
    article, moderator, confirmed_address, flaky_mail
):
    confirmed_address(ANN)
    comment = _post(article)
    _approve(comment, moderator)
    note = MailNotification.objects.get(kind=MailKind.DECISION)
    flaky_mail(2)
    # apply() runs the task here, its retries at once (a worker waits out the backoff).
    assert send_mail_notification.apply(args=[note.pk]).state == "SUCCESS"
    note.refresh_from_db()
    assert (note.status, note.attempts) == ("sent", 3)
    assert len(mail.outbox) == 1


def test_a_mail_that_fails_every_retry_is_recorded_failed(
    article, moderator, confirmed_address, flaky_mail
):
    confirmed_address(ANN)
    _approve(_post(article), moderator)
    note = MailNotification.objects.get(kind=MailKind.DECISION)
    flaky_mail(1000)
    assert send_mail_notification.apply(args=[note.pk]).state == "FAILURE"
    note.refresh_from_db()
    assert (note.status, note.attempts) == ("failed", 1 + MAIL_MAX_RETRIES)
    assert note.error == "Connection unexpectedly closed"
    flaky_mail(0)
    send_mail_notification.apply(args=[note.pk])  # delivered again: stays failed
    assert mail.outbox == []


def test_the_sweep_sends_what_a_lost_task_left_behind(article, moderator, confirmed_address):
    confirmed_address(ANN)
    mine = _post(article)
    _approve(mine, moderator)  # its task never ran
    _approve(_post(article, email=BO, name="Bo", notify=False, parent_id=mine.pk), moderator)
    MailNotification.objects.update(due_at=timezone.now() - timedelta(minutes=10))
    assert mail_sweep_overdue() == 2
    assert sorted(m.subject for m in mail.outbox) == [
        "Bo replied to your comment",
        f'Your comment on "{article.title}" is published',
    ]
    assert mail_sweep_overdue() == 0


def test_turning_decisions_off_stops_statements_of_reasons_too(
    article, moderator, confirmed_address
):
    recipient = confirmed_address(ANN)
    mail_mute(recipient_id=recipient.pk, kind="decision")
    comment = _post(article)
    comment_reject(comment_id=comment.pk, actor=moderator, reason_code="abuse")
    assert notify_comments_rejected(comment_ids=[comment.pk]) == []


def test_what_readers_wrote_is_text_in_the_html_mail(article, moderator, confirmed_address):
    confirmed_address(ANN)
    mine = _post(article)
    _approve(mine, moderator)
    deliver_queued()
    mail.outbox.clear()
    reply = _post(
        article, email="", name="<i>Bo</i>", notify=False, parent_id=mine.pk,
        body="<script>alert(1)</script> & more",
    )  # fmt: skip
    _approve(reply, moderator)
    end_digest_window()
    deliver_queued()
    [(html, _type)] = mail.outbox[0].alternatives
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<script>" not in html and "<i>Bo</i>" not in html
