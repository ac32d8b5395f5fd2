"""The signed links in mails: confirming an address, and links that are not ours."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.utils import timezone

from moderation.mail_links import confirm_url, decision_url, unsubscribe_url
from moderation.models import Comment, MailRecipient
from moderation.notifications import mail_opt_in
from moderation.services import comment_submit
from tests.moderation.mailing import deliver_queued

pytestmark = pytest.mark.django_db


def _path(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:8000")


def test_the_confirmation_link_asks_first_then_confirms(
    article, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment_submit(
            article=article,
            author_name="Ann",
            author_email="ann@example.org",
            body="Hi.",
            notify=True,
        )
    deliver_queued()
    link = _path(next(w for w in mail.outbox[0].body.split() if "/mail/confirm/" in w))

    page = client.get(link)
    assert page.status_code == 200
    assert b"Confirm my address" in page.content
    assert MailRecipient.objects.get().confirmed_at is None

    done = client.post(link)
    assert done.status_code == 200
    assert b"Your address is confirmed" in done.content
    assert MailRecipient.objects.get().confirmed_at is not None


@pytest.mark.parametrize(
    "make_path",
    [
        lambda r: _path(confirm_url(r.pk))[:-6] + "XXXXX/",
        lambda r: "/mail/confirm/not-a-token/",
        lambda r: "/mail/unsubscribe/" + signing.dumps({"r": r.pk, "k": "all"}, salt="other") + "/",
        lambda r: _path(unsubscribe_url(r.pk, "nonsense")),
        lambda r: _path(unsubscribe_url(r.pk + 1000)),
        lambda r: "/decisions/" + signing.dumps(r.pk, salt="other") + "/",
        lambda r: _path(decision_url(999999)),
    ],
    ids=[
        "altered",
        "garbage",
        "other-salt",
        "unknown-kind",
        "unknown-reader",
        "forged-decision",
        "no-such-decision",
    ],
)
def test_a_link_that_is_not_ours_gets_a_clear_page_and_changes_nothing(client, make_path):
    recipient = MailRecipient.objects.create(email="ann@example.org")
    path = make_path(recipient)
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 400
        assert b"This link does not work" in response.content
    recipient.refresh_from_db()
    assert recipient.confirmed_at is None
    assert recipient.muted_kinds == []


def test_an_expired_confirmation_link_confirms_nothing(client):
    recipient = MailRecipient.objects.create(email="ann@example.org")
    eight_days_ago = (timezone.now() - timedelta(days=8)).timestamp()
    with mock.patch.object(signing.time, "time", return_value=eight_days_ago):
        path = _path(confirm_url(recipient.pk))
    response = client.post(path)
    assert response.status_code == 400
    recipient.refresh_from_db()
    assert recipient.confirmed_at is None


def test_a_confirmation_is_asked_at_most_once_a_day(article, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            comment_submit(
                article=article,
                author_name="Ann",
                author_email="ann@example.org",
                body="Hi.",
                notify=True,
            )
    deliver_queued()
    assert len(mail.outbox) == 1
    MailRecipient.objects.update(confirmation_sent_at=timezone.now() - timedelta(hours=25))
    with django_capture_on_commit_callbacks(execute=True):
        mail_opt_in(
            email="ann@example.org",
            comment=comment_submit(article=article, author_name="Ann", body="Again."),
        )
    deliver_queued()
    assert len(mail.outbox) == 2


def test_an_address_a_reader_confirmed_before_needs_no_confirmation(article):
    from articles.models import Reader, Site

    Reader.objects.create(
        site=Site.objects.default(),
        display_name="Ann",
        email="Ann@example.org",
        email_confirmed_at=timezone.now(),
    )
    mail_opt_in(
        email="ann@example.org",
        comment=comment_submit(article=article, author_name="Ann", body="Hi."),
    )
    deliver_queued()
    assert MailRecipient.objects.get().is_confirmed
    assert mail.outbox == []


def test_confirming_marks_the_readers_known_by_the_address(client):
    from articles.models import Reader, Site

    reader = Reader.objects.create(
        site=Site.objects.default(), display_name="Ann", email="ann@example.org"
    )
    recipient = MailRecipient.objects.create(email="ann@example.org")
    assert client.post(_path(confirm_url(recipient.pk))).status_code == 200
    reader.refresh_from_db()
    assert reader.email_confirmed_at is not None


def test_erasing_a_commenter_forgets_the_address_we_mailed(article, editor):
    from moderation.privacy import commenter_data_erase

    comment = comment_submit(
        article=article, author_name="Ann", author_email="ann@example.org", body="Hi.", notify=True
    )
    commenter_data_erase(email="ann@example.org", actor=editor)
    assert not MailRecipient.objects.exists()
    assert Comment.objects.get(pk=comment.pk).author_email == ""
