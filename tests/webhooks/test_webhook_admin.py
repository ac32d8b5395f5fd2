"""The admin: endpoints saved through the service, a "send test" button, the log."""

import pytest
from django.urls import reverse

from articles.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_the_send_test_button_queues_a_test_delivery_shown_in_the_log(
    admin_client, article, receiver, django_capture_on_commit_callbacks
) -> None:
    endpoint = WebhookEndpoint.objects.create(site=article.site, url=receiver.url)
    page = admin_client.get(reverse("admin:articles_webhookendpoint_change", args=[endpoint.pk]))
    assert b"Send test event" in page.content
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = admin_client.post(
            reverse("admin:articles_webhookendpoint_test", args=[endpoint.pk])
        )
    assert response.status_code == 302
    assert len(queued) == 1
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert (delivery.event, delivery.status) == ("test", "pending")
    log = admin_client.get(reverse("admin:articles_webhookdelivery_changelist"))
    assert receiver.url.encode() in log.content


def test_a_private_url_is_a_form_error_in_the_admin(admin_client, article, settings) -> None:
    settings.WEBHOOKS_ALLOW_LOCAL = False
    response = admin_client.post(
        reverse("admin:articles_webhookendpoint_add"),
        {
            "site": article.site.pk,
            "url": "https://192.168.1.20/hook",
            "events": ["comment.published"],
            "is_active": "on",
            "secret": "s3cret-value",
            "deliveries-TOTAL_FORMS": "0",
            "deliveries-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert b"private or local address" in response.content
    assert not WebhookEndpoint.objects.exists()


def test_the_site_page_names_its_publishers_and_feed(admin_client, article) -> None:
    page = admin_client.get(reverse("admin:articles_site_change", args=[article.site.pk]))
    assert page.status_code == 200
    assert b'name="publishers"' in page.content
    assert b'name="feed_url"' in page.content


def test_editors_keep_the_endpoints_and_read_the_log(client, editor, moderator) -> None:
    client.force_login(editor)
    assert client.get(reverse("admin:articles_webhookendpoint_changelist")).status_code == 200
    assert client.get(reverse("admin:articles_webhookdelivery_changelist")).status_code == 200
    client.force_login(moderator)
    assert client.get(reverse("admin:articles_webhookendpoint_changelist")).status_code == 403
