"""Thin Celery tasks for articles: the emails thanking readers for a correction, and
closing comments on articles past their section's limit.

Routed to the training queue (CELERY_TASK_ROUTES): a slow or unreachable mail server
never delays the scoring of a reader's comment.
"""

from celery import Task, shared_task
from django.db import DatabaseError

from articles.services import MAIL_ERRORS, articles_auto_close, correction_thanks_send

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
