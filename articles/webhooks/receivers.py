"""The services' signals, turned into webhook events: each receiver only queues a task
(the worker builds the payloads and sends), so no request waits on a receiver's server."""

from typing import Any

from articles.models import WebhookEndpoint, WebhookEvent
from articles.webhooks.services import FAN_OUT_WEBHOOK_EVENT
from moderation.queueing import publish_quietly


def _queue(event: str, ids: list[int]) -> None:
    # Most installations have no endpoint: then not even a task is queued.
    if ids and WebhookEndpoint.objects.filter(is_active=True).exists():
        publish_quietly(FAN_OUT_WEBHOOK_EVENT, str(event), list(ids))


def on_comment_published(sender: Any, comment_ids: list[int], **kwargs: Any) -> None:
    _queue(WebhookEvent.COMMENT_PUBLISHED, comment_ids)


def on_comment_rejected(sender: Any, comment_ids: list[int], **kwargs: Any) -> None:
    _queue(WebhookEvent.COMMENT_REJECTED, comment_ids)


def on_comment_reported(sender: Any, report_ids: list[int], **kwargs: Any) -> None:
    _queue(WebhookEvent.COMMENT_REPORTED, report_ids)


def on_correction_request_created(sender: Any, request_ids: list[int], **kwargs: Any) -> None:
    _queue(WebhookEvent.CORRECTION_REQUEST_CREATED, request_ids)


def on_correction_published(sender: Any, correction_id: int, **kwargs: Any) -> None:
    _queue(WebhookEvent.CORRECTION_PUBLISHED, [correction_id])


def connect() -> None:
    from articles import signals as article_signals
    from moderation import signals as moderation_signals

    moderation_signals.comment_published.connect(on_comment_published, dispatch_uid="wh-pub")
    moderation_signals.comment_rejected.connect(on_comment_rejected, dispatch_uid="wh-rej")
    moderation_signals.comment_reported.connect(on_comment_reported, dispatch_uid="wh-rep")
    article_signals.correction_request_created.connect(
        on_correction_request_created, dispatch_uid="wh-req"
    )
    article_signals.correction_published.connect(on_correction_published, dispatch_uid="wh-cor")
