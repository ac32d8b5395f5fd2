"""Thin Celery tasks for articles: the emails thanking readers for a correction,
closing comments on articles past their section's limit, pulling sites' feeds, and
webhooks.

Mail and feeds are routed to the training queue (CELERY_TASK_ROUTES): a slow or
unreachable server never delays the scoring of a reader's comment.
"""

import logging

from celery import Task, shared_task
from django.db import DatabaseError

from articles.feeds import FeedError
from articles.models import Site
from articles.services import (
    MAIL_ERRORS,
    articles_auto_close,
    correction_thanks_send,
    site_feed_pull,
)
from articles.webhooks.services import (
    RetryDelivery,
    queue_deliveries,
    webhook_deliver,
    webhook_event_fan_out,
)

logger = logging.getLogger(__name__)

THANKS_MAX_RETRIES = 5


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(*MAIL_ERRORS, DatabaseError),
    # About 30 s, 1, 2, 4 and 8 minutes apart (jittered): well inside a broker's
    # visibility timeout, and about a quarter of an hour in all before giving up.
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=THANKS_MAX_RETRIES,
    soft_time_limit=60,
    time_limit=90,
)
def send_correction_thanks(self: Task, thanks_id: int) -> str:  # type: ignore[type-arg]
    """Send one thank-you email; a failing mail server is tried again, then recorded."""
    thanks = correction_thanks_send(
        thanks_id=thanks_id, last_attempt=self.request.retries >= THANKS_MAX_RETRIES
    )
    return str(thanks.status) if thanks else "gone"


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def auto_close_articles() -> int:
    """Close comments on articles past their section's auto-close limit (hourly)."""
    return articles_auto_close()


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def pull_feeds() -> dict[str, int]:
    """Pull every site's feed (beat, every FEED_PULL_MINUTES); one failing feed is
    logged and the others pulled."""
    pulled: dict[str, int] = {}
    for site in Site.objects.exclude(feed_url=""):
        try:
            result = site_feed_pull(site=site)
        except FeedError as error:
            logger.warning("Feed of %s not pulled: %s", site.slug, error)
            continue
        pulled[site.slug] = result.created + result.updated
    return pulled


# Webhooks are left on the default queue; each attempt is bounded by the transport's
# short timeouts (3 s to connect, 5 s to answer).
WEBHOOK_MAX_RETRIES = 6


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    max_retries=3,
    soft_time_limit=60,
    time_limit=90,
)
def fan_out_webhook_event(event: str, object_ids: list[int]) -> int:
    """Make the deliveries an event calls for, then queue each one."""
    delivery_ids = webhook_event_fan_out(event=event, object_ids=object_ids)
    queue_deliveries(delivery_ids)
    return len(delivery_ids)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(RetryDelivery, DatabaseError),
    # About 10 s, 20 s, 40 s ... up to 10 minutes apart (jittered): half an hour in all,
    # well inside a broker's visibility timeout for each countdown.
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=WEBHOOK_MAX_RETRIES,
    soft_time_limit=20,
    time_limit=30,
)
def deliver_webhook(self: Task, delivery_id: int) -> str:  # type: ignore[type-arg]
    """Send one webhook delivery; a busy or unreachable receiver is tried again."""
    delivery = webhook_deliver(
        delivery_id=delivery_id, last_attempt=self.request.retries >= WEBHOOK_MAX_RETRIES
    )
    return str(delivery.status) if delivery else "gone"
