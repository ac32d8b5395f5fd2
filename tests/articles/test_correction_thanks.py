"""The email thanking readers for a correction: queued with it, sent by a worker task,
retried when the mail server fails, and recorded."""

from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail

from articles.models import CorrectionThanks
from articles.services import correction_request_submit, correction_requests_resolve
from articles.tasks import THANKS_MAX_RETRIES, send_correction_thanks
from moderation.notifications import mail_mute
from moderation.privacy import commenter_data_erase
from newsroom.celery import app
from tests.mail_readers import confirmed, opt_in
from tests.moderation.mailing import deliver_queued

CORRECTION = "The repairs took nine months, not <eight> & a half."


@pytest.fixture
def resolved(article, editor):
    """A correction resolving three requests from two readers (one wrote in twice)."""
    requests = [
        correction_request_submit(
            article=article, **opt_in({"suggestion": suggestion, "email": email})
        )
        for suggestion, email in [
            ("Nine months.", "ann@example.org"),
            ("Still nine.", "ann@example.org"),
            ("It was nine.", "bo@example.org"),
            ("No email given.", ""),
        ]
    ]
    return correction_requests_resolve(
        request_id=requests[0].pk,
        actor=editor,
        correction_text=CORRECTION,
        also=[r.pk for r in requests[1:]],
    )


def _waiting(queue: str) -> int:
    with app.connection_for_write() as connection:
        return connection.default_channel.queue_purge(queue) or 0


def test_resolving_queues_one_email_per_reader_and_sends_nothing_in_the_request(
    article, editor, django_capture_on_commit_callbacks
):
    # Tasks earlier tests queued (on commit) are not this test's.
    _waiting("training"), _waiting("scoring")
    first = correction_request_submit(
        article=article, **opt_in({"suggestion": "Nine.", "email": "ann@example.org"})
    )
    second = correction_request_submit(
        article=article, **opt_in({"suggestion": "9.", "email": "ann@example.org"})
    )
    third = correction_request_submit(
        article=article, **opt_in({"suggestion": "Nine!", "email": "bo@example.org"})
    )
    with django_capture_on_commit_callbacks(execute=True):
        correction_requests_resolve(
            request_id=first.pk,
            actor=editor,
            correction_text="Nine months.",
            also=[second.pk, third.pk],
        )
    assert mail.outbox == []
    assert sorted(CorrectionThanks.objects.values_list("request", "status")) == [
        (first.pk, "queued"),
        (third.pk, "queued"),
    ]
    # On the queue the training worker consumes: outbound mail never delays scoring.
    assert (_waiting("scoring"), _waiting("training")) == (0, 2)


def test_the_task_sends_text_and_html_to_each_reader_once(resolved):
    for thanks in resolved.thanks * 2:  # a task delivered twice sends once
        send_correction_thanks.apply(args=[thanks.pk])
    assert sorted(m.to for m in mail.outbox) == [["ann@example.org"], ["bo@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Correction published: Metro bridge reopens after repairs"
    assert CORRECTION in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "nine months, not &lt;eight&gt; &amp; a half." in html
    assert "<eight>" not in html
    rows = CorrectionThanks.objects.values_list("status", "attempts", "error")
    assert list(rows) == [("sent", 1, ""), ("sent", 1, "")]
    assert not CorrectionThanks.objects.filter(sent_at__isnull=True).exists()


def test_a_failing_mail_server_is_retried_and_the_email_then_sent(resolved, flaky_mail):
    # apply() runs the task here, its retries at once (a worker waits out the backoff).
    flaky_mail(2)
    thanks = resolved.thanks[0]
    result = send_correction_thanks.apply(args=[thanks.pk])
    assert result.state == "SUCCESS"
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    thanks.refresh_from_db()
    assert (thanks.status, thanks.attempts) == ("sent", 3)


def test_an_email_that_fails_every_retry_is_recorded_failed(resolved, flaky_mail):
    flaky_mail(1000)
    thanks = resolved.thanks[0]
    result = send_correction_thanks.apply(args=[thanks.pk])
    assert result.state == "FAILURE" and isinstance(result.result, SMTPServerDisconnected)
    thanks.refresh_from_db()
    assert (thanks.status, thanks.attempts) == ("failed", 1 + THANKS_MAX_RETRIES)
    assert thanks.error == "Connection unexpectedly closed"
    # A redelivered task finds it closed: the reader is not written to hours later.
    flaky_mail(0)
    send_correction_thanks.apply(args=[thanks.pk])
    assert mail.outbox == []


def test_a_reader_erased_before_the_email_went_gets_none(resolved, editor):
    commenter_data_erase(email="ann@example.org", actor=editor)
    thanks = resolved.thanks[0]
    send_correction_thanks.apply(args=[thanks.pk])
    assert mail.outbox == []
    thanks.refresh_from_db()
    assert thanks.status == "failed"


def test_a_task_for_an_email_that_is_gone_does_nothing(db):
    assert send_correction_thanks.apply(args=[424242]).result == "gone"
    assert mail.outbox == []


def _resolve_one(article, editor, **fields):
    request = correction_request_submit(article=article, suggestion="Nine.", **fields)
    correction_requests_resolve(request_id=request.pk, actor=editor, correction_text=CORRECTION)
    for thanks in CorrectionThanks.objects.all():
        send_correction_thanks.apply(args=[thanks.pk])


def test_a_reader_who_did_not_tick_the_box_is_not_thanked_by_mail(article, editor):
    confirmed("ann@example.org")
    _resolve_one(article, editor, email="ann@example.org")
    assert not CorrectionThanks.objects.exists()
    assert mail.outbox == []


def test_an_unconfirmed_reader_gets_the_confirmation_and_no_thanks(
    article, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _resolve_one(article, editor, email="ann@example.org", notify=True)
    deliver_queued()
    assert [m.subject for m in mail.outbox] == ["Please confirm your email address"]
    assert not CorrectionThanks.objects.exists()


def test_the_thanks_carries_one_click_unsubscribe_for_corrections(article, editor):
    _resolve_one(article, editor, **opt_in({"email": "ann@example.org"}))
    [thanks] = mail.outbox
    assert thanks.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/mail/unsubscribe/" in thanks.extra_headers["List-Unsubscribe"]


def test_a_reader_who_turned_corrections_off_since_is_not_thanked(article, editor):
    request = correction_request_submit(
        article=article, **opt_in({"suggestion": "Nine.", "email": "ann@example.org"})
    )
    correction_requests_resolve(request_id=request.pk, actor=editor, correction_text=CORRECTION)
    mail_mute(recipient_id=confirmed("ann@example.org").pk, kind="correction")
    thanks = CorrectionThanks.objects.get()
    send_correction_thanks.apply(args=[thanks.pk])
    thanks.refresh_from_db()
    assert (thanks.status, thanks.error) == ("failed", "Turned off by the reader.")
    assert mail.outbox == []
