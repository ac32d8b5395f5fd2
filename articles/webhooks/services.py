"""Writes for webhooks: endpoints, the deliveries an event makes, and each attempt."""

import json
from typing import Any

from django.db import transaction
from django.utils import timezone

from articles.models import Site, WebhookDelivery, WebhookEndpoint, WebhookEvent
from articles.webhooks.addresses import UnsafeUrl
from articles.webhooks.payloads import BUILDERS
from articles.webhooks.signing import SIGNATURE_HEADER, signature_header
from articles.webhooks.transport import DeliveryFailed, post
from moderation.queueing import publish_quietly

DeliveryStatus = WebhookDelivery.Status
DELIVER_WEBHOOK = "articles.tasks.deliver_webhook"
FAN_OUT_WEBHOOK_EVENT = "articles.tasks.fan_out_webhook_event"
# Answers worth another try later: the receiver is busy or down, not refusing.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class RetryDelivery(Exception):
    """The attempt failed in a way a later one may not; the task retries with backoff."""


def webhook_endpoint_save(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Create or change an endpoint: its URL is checked (https, public) before saving."""
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def _payload(delivery: WebhookDelivery, site: Site, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(delivery.uuid),
        "event": delivery.event,
        "created_at": delivery.created_at.isoformat(),
        "site": site.slug,
        "data": data,
    }


def _create(endpoint: WebhookEndpoint, event: str, data: dict[str, Any]) -> WebhookDelivery:
    delivery = WebhookDelivery(endpoint=endpoint, event=event, payload={})
    delivery.payload = _payload(delivery, endpoint.site, data)
    delivery.save()
    return delivery


def webhook_event_fan_out(*, event: str, object_ids: list[int]) -> list[int]:
    """One delivery per object and subscribed endpoint of its site; their ids, to send."""
    endpoints: dict[int | None, list[WebhookEndpoint]] = {}
    for endpoint in WebhookEndpoint.objects.filter(is_active=True).select_related("site"):
        if endpoint.wants(event):
            endpoints.setdefault(endpoint.site_id, []).append(endpoint)
    if not endpoints:
        return []
    created: list[int] = []
    with transaction.atomic():
        for site_id, data in BUILDERS[event](object_ids):
            created.extend(_create(e, event, data).pk for e in endpoints.get(site_id, []))
    return created


def webhook_send_test(*, endpoint_id: int) -> WebhookDelivery:
    """The admin's "send test": a `test` event to this endpoint, sent by a worker."""
    endpoint = WebhookEndpoint.objects.select_related("site").get(pk=endpoint_id)
    with transaction.atomic():
        delivery = _create(endpoint, WebhookEvent.TEST, {"message": "A test from the admin."})
        transaction.on_commit(lambda: queue_deliveries([delivery.pk]))
    return delivery


def queue_deliveries(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        if not publish_quietly(DELIVER_WEBHOOK, delivery_id):
            WebhookDelivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.FAILED, error="Not queued: the broker was unreachable."
            )


def _outcome(delivery: WebhookDelivery, last_attempt: bool) -> tuple[dict[str, Any], bool]:
    """Send once; the fields to record and whether to try again later."""
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Newsroom-Webhooks/1",
        "Newsroom-Event": delivery.event,
        "Newsroom-Delivery": str(delivery.uuid),
        SIGNATURE_HEADER: signature_header(delivery.endpoint.secret, body),
    }
    limit = WebhookDelivery.ERROR_MAX_LENGTH
    try:
        answer = post(delivery.endpoint.url, body, headers)
    except UnsafeUrl as error:
        return {"status": DeliveryStatus.FAILED, "error": str(error)[:limit]}, False
    except DeliveryFailed as error:
        again = not last_attempt
        status = DeliveryStatus.PENDING if again else DeliveryStatus.FAILED
        return {"status": status, "error": str(error)[:limit]}, again
    fields: dict[str, Any] = {
        "response_status": answer.status,
        "response_body": answer.body[:limit],
    }
    if 200 <= answer.status < 300:
        return {**fields, "status": DeliveryStatus.DELIVERED, "delivered_at": timezone.now()}, False
    again = answer.status in RETRY_STATUSES and not last_attempt
    status = DeliveryStatus.PENDING if again else DeliveryStatus.FAILED
    return {**fields, "status": status, "error": f"The endpoint answered {answer.status}."}, again


def webhook_deliver(*, delivery_id: int, last_attempt: bool = True) -> WebhookDelivery | None:
    """Try one delivery and record what happened; RetryDelivery when worth a retry.

    The row is locked while sending, so a task delivered twice never sends twice at
    once, and one delivered after success finds it delivered and stops.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status != DeliveryStatus.PENDING:
            return delivery
        if not delivery.endpoint.is_active:
            fields: dict[str, Any] = {"status": DeliveryStatus.FAILED, "error": "Endpoint off."}
            again = False
        else:
            fields, again = _outcome(delivery, last_attempt)
        for name, value in fields.items():
            setattr(delivery, name, value)
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        delivery.save()
    if again:
        raise RetryDelivery(delivery.error)
    return delivery
