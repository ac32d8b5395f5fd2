"""Thin Celery tasks: load by id, call a service."""

import logging

from celery import shared_task
from django.db import DatabaseError

from moderation.scoring import NoActiveModel, score_comment

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, NoActiveModel),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=8,
    soft_time_limit=30,
    time_limit=60,
)
def classify_comment(comment_id: int) -> None:
    score_comment(comment_id)


def enqueue_classification(comment_id: int) -> None:
    """Queue scoring; a broker that is down loses nothing, the sweep scores it later."""
    try:
        classify_comment.delay(comment_id)
    except Exception:  # kombu raises several unrelated types for an unreachable broker
        logger.warning(
            "Broker unreachable; comment %s waits for the sweep", comment_id, exc_info=True
        )
