"""Mail to readers end to end: the services announce, a real worker writes and sends."""

import pytest
from django.core import mail

from moderation.models import Comment, MailNotification
from moderation.services import comment_approve, comment_reject, comment_submit
from tests.pipeline.waiting import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_decision_and_a_reply_reach_the_reader_through_the_worker(
    celery_worker, article, moderator, confirmed_address, settings
):
    settings.MAIL_REPLY_DIGEST_MINUTES = 0
    confirmed_address("ann@example.org")
    mine = comment_submit(
        article=article, author_name="Ann", author_email="ann@example.org", body="Hm.", notify=True
    )
    comment_approve(comment_id=mine.pk, actor=moderator)
    wait_until(lambda: len(mail.outbox) == 1, message="the decision was never mailed")
    assert "is published" in mail.outbox[0].subject
    _wait_for_the_worker(mine.pk)

    reply = comment_submit(article=article, author_name="Bo", body="Quite.", parent_id=mine.pk)
    comment_approve(comment_id=reply.pk, actor=moderator)
    wait_until(lambda: len(mail.outbox) == 2, message="the reply was never mailed")
    assert mail.outbox[1].subject == "Bo replied to your comment"
    _wait_for_the_worker(reply.pk)


def _wait_for_the_worker(comment_id: int) -> None:
    """Until the worker has scored the comment and recorded its mails: writing to the
    shared in-memory SQLite meanwhile would find its tables locked."""
    wait_until(
        lambda: (
            Comment.objects.filter(pk=comment_id, scored_at__isnull=False).exists()
            and not MailNotification.objects.filter(status="queued").exists()
        ),
        message="the worker never finished",
    )


def test_a_rejection_brings_a_statement_of_reasons(
    celery_worker, article, moderator, confirmed_address
):
    confirmed_address("ann@example.org")
    mine = comment_submit(
        article=article, author_name="Ann", author_email="ann@example.org", body="Rude words."
    )
    comment_reject(comment_id=mine.pk, actor=moderator, reason_code="abuse")
    wait_until(lambda: len(mail.outbox) == 1, message="no statement of reasons was mailed")
    wait_until(
        lambda: MailNotification.objects.filter(kind="statement", status="sent").exists(),
        message="no statement of reasons was sent",
    )
    assert "attacks or insults people" in mail.outbox[0].body
