"""Deliveries: made per subscribed endpoint, signed, retried when worth it, logged."""

import json

import pytest
from django.core.exceptions import ValidationError

from articles.models import Site, WebhookDelivery, WebhookEndpoint
from articles.services import correction_request_resolve, correction_request_submit
from articles.webhooks.services import (
    RetryDelivery,
    webhook_deliver,
    webhook_endpoint_save,
    webhook_event_fan_out,
)
from articles.webhooks.signing import verify_signature
from moderation.services import comment_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(receiver, article) -> WebhookEndpoint:
    return webhook_endpoint_save(
        endpoint=WebhookEndpoint(site=article.site, url=receiver.url, events=["comment.published"])
    )


def test_an_event_makes_one_delivery_per_subscribed_endpoint_of_the_site(
    endpoint, make_comment, receiver
) -> None:
    comment = make_comment(status="approved", author_email="olena@example.org")
    WebhookEndpoint.objects.create(
        site=endpoint.site, url=receiver.url, events=["comment.rejected"]
    )
    WebhookEndpoint.objects.create(
        site=endpoint.site, url=receiver.url, events=["comment.published"], is_active=False
    )
    other_site = Site.objects.create(name="Elsewhere", slug="elsewhere")
    WebhookEndpoint.objects.create(site=other_site, url=receiver.url)
    (delivery_id,) = webhook_event_fan_out(event="comment.published", object_ids=[comment.pk])
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert delivery.endpoint == endpoint
    data = delivery.payload["data"]["comment"]
    assert (data["id"], data["body"], data["status"]) == (comment.pk, comment.body, "approved")
    assert "olena@example.org" not in json.dumps(delivery.payload)
    assert delivery.payload["id"] == str(delivery.uuid)


def test_a_comment_unpublished_since_is_not_announced(endpoint, make_comment) -> None:
    comment = make_comment(status="rejected")
    assert webhook_event_fan_out(event="comment.published", object_ids=[comment.pk]) == []


def test_a_delivery_is_signed_and_logged(endpoint, make_comment, receiver) -> None:
    comment = make_comment(status="approved")
    (delivery_id,) = webhook_event_fan_out(event="comment.published", object_ids=[comment.pk])
    delivery = webhook_deliver(delivery_id=delivery_id)
    assert delivery is not None
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 200)
    (sent,) = receiver.received
    verify_signature(endpoint.secret, sent.headers["Newsroom-Signature"], sent.body)
    assert sent.headers["Newsroom-Event"] == "comment.published"
    assert sent.headers["Newsroom-Delivery"] == str(delivery.uuid)
    assert json.loads(sent.body)["data"]["comment"]["id"] == comment.pk
    # Delivered: a task run again sends nothing.
    webhook_deliver(delivery_id=delivery_id)
    assert len(receiver.received) == 1


def test_a_busy_receiver_is_tried_again_then_given_up(endpoint, make_comment, receiver) -> None:
    receiver.statuses = [503]
    comment = make_comment(status="approved")
    (delivery_id,) = webhook_event_fan_out(event="comment.published", object_ids=[comment.pk])
    with pytest.raises(RetryDelivery):
        webhook_deliver(delivery_id=delivery_id, last_attempt=False)
    assert WebhookDelivery.objects.get(pk=delivery_id).status == "pending"
    delivery = webhook_deliver(delivery_id=delivery_id, last_attempt=True)
    assert delivery is not None
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 2, 503)


def test_a_refusing_receiver_is_not_retried(endpoint, make_comment, receiver) -> None:
    receiver.statuses = [400]
    comment = make_comment(status="approved")
    (delivery_id,) = webhook_event_fan_out(event="comment.published", object_ids=[comment.pk])
    delivery = webhook_deliver(delivery_id=delivery_id, last_attempt=False)
    assert delivery is not None
    assert delivery.status == "failed"
    assert delivery.error == "The endpoint answered 400."


def test_an_unreachable_receiver_is_retried(article, make_comment, settings) -> None:
    settings.WEBHOOKS_ALLOW_LOCAL = True
    # Port 8599 of our range: nothing listens there.
    WebhookEndpoint.objects.create(site=article.site, url="http://127.0.0.1:8599/hook")
    comment = make_comment(status="approved")
    (delivery_id,) = webhook_event_fan_out(event="comment.published", object_ids=[comment.pk])
    with pytest.raises(RetryDelivery):
        webhook_deliver(delivery_id=delivery_id, last_attempt=False)
    assert "refused" in WebhookDelivery.objects.get(pk=delivery_id).error.lower()


def test_outside_development_a_local_address_is_never_contacted(
    endpoint, make_comment, receiver, settings
) -> None:
    settings.WEBHOOKS_ALLOW_LOCAL = False
    comment = make_comment(status="approved")
    (delivery_id,) = webhook_event_fan_out(event="comment.published", object_ids=[comment.pk])
    delivery = webhook_deliver(delivery_id=delivery_id, last_attempt=False)
    assert delivery is not None
    assert delivery.status == "failed"
    assert "https" in delivery.error
    assert receiver.received == []


@pytest.mark.parametrize(
    "url",
    ["https://127.0.0.1/hook", "https://10.0.0.5/hook", "https://localhost/hook", "http://a.b/"],
)
def test_an_endpoint_on_a_private_address_or_http_is_refused(article, settings, url) -> None:
    settings.WEBHOOKS_ALLOW_LOCAL = False
    with pytest.raises(ValidationError) as refused:
        webhook_endpoint_save(endpoint=WebhookEndpoint(site=article.site, url=url))
    assert "url" in refused.value.message_dict
    assert not WebhookEndpoint.objects.exists()


def test_unknown_events_are_refused(article, receiver) -> None:
    with pytest.raises(ValidationError) as refused:
        webhook_endpoint_save(
            endpoint=WebhookEndpoint(site=article.site, url=receiver.url, events=["comment.liked"])
        )
    assert "events" in refused.value.message_dict


def test_reports_and_corrections_say_what_happened(endpoint, make_comment, editor) -> None:
    endpoint.events = ["comment.reported", "correction.published"]
    endpoint.save()
    comment = make_comment(status="approved")
    report = comment_report(comment=comment, reason="abuse", text="Rude")
    (reported,) = webhook_event_fan_out(event="comment.reported", object_ids=[report.pk])
    data = WebhookDelivery.objects.get(pk=reported).payload["data"]
    assert (data["report"]["reason"], data["comment"]["id"]) == ("abuse", comment.pk)
    request = correction_request_submit(
        article=comment.article, suggestion="Nine months.", email="ann@example.org"
    )
    correction_request_resolve(request_id=request.pk, actor=editor, correction_text="Nine.")
    correction_id = comment.article.corrections.get().pk
    (published,) = webhook_event_fan_out(event="correction.published", object_ids=[correction_id])
    data = WebhookDelivery.objects.get(pk=published).payload["data"]["correction"]
    assert (data["text"], data["request_ids"]) == ("Nine.", [request.pk])
    assert "ann@example.org" not in json.dumps(data)
