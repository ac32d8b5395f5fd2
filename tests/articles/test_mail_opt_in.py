"""The "email me" box on the reader's forms and in the public API."""

import pytest
from django.core import mail

from moderation.models import MailSubscription
from tests.moderation.mailing import deliver_queued

pytestmark = pytest.mark.django_db(transaction=True)

COMMENT = {"author_name": "Oksana", "author_email": "oksana@example.org", "body": "Well said."}


def test_the_box_is_there_and_unticked(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'name="notify"' in page
    box = page[page.index('name="notify"') - 80 : page.index('name="notify"') + 80]
    assert "checked" not in box


def test_ticking_the_box_on_the_page_asks_the_address_to_confirm(client, article):
    response = client.post(f"/articles/{article.slug}/comments/", {**COMMENT, "notify": "on"})
    assert response.status_code == 303
    subscription = MailSubscription.objects.get()
    assert subscription.recipient.email == "oksana@example.org"
    deliver_queued()
    assert [m.to for m in mail.outbox] == [["oksana@example.org"]]
    assert "/mail/confirm/" in mail.outbox[0].body


def test_the_box_without_an_email_is_a_field_error_on_the_page(client, article):
    response = client.post(
        f"/articles/{article.slug}/comments/", {**COMMENT, "author_email": "", "notify": "on"}
    )
    assert response.status_code == 400
    assert b"Give your email address to be told by email." in response.content
    assert not MailSubscription.objects.exists()


def test_the_api_takes_the_box_as_notify(client, article):
    response = client.post(
        f"/api/v1/articles/{article.slug}/comments/",
        {**COMMENT, "notify": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert MailSubscription.objects.get().comment_id == response.json()["id"]


def test_the_api_refuses_notify_without_an_email(client, article):
    response = client.post(
        f"/api/v1/articles/{article.slug}/correction-requests/",
        {"suggestion": "Nine months.", "notify": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "email" in response.json()
    assert not MailSubscription.objects.exists()


def test_the_correction_form_takes_the_box(client, article):
    response = client.post(
        f"/articles/{article.slug}/suggest-correction/",
        {"suggestion": "Nine months.", "email": "oksana@example.org", "notify": "on"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    assert MailSubscription.objects.get().correction_request is not None
