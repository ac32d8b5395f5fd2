"""Thin Celery tasks: load by id, call a service.

Every task is safe to run twice: scoring writes only where `scored_at` is still empty,
and a retrain only adds a registry row. Hence `acks_late` with rejection on worker
loss: a task whose worker died is delivered again rather than lost.
"""

import logging
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Max

from moderation.campaigns.services import campaign_prune_signatures
from moderation.classifier.errors import TrainingDataError
from moderation.comment_scoring import (
    NoActiveModel,
    explain_comment,
    score_comment_and_followers,
    score_waiting_comments,
    sweep_unscored_comments,
)
from moderation.models import ClassifierModel
from moderation.notifications import (
    MAIL_ERRORS,
    mail_notification_send,
    mail_reply_digest_send,
    mail_sweep_overdue,
    notify_comments_published,
    notify_comments_rejected,
)
from moderation.queueing import (
    EXPLAIN_COMMENTS,
    enqueue_retrain,
    enqueue_scoring_run,
    publish_quietly,
)
from moderation.registry import ShadowStateConflict, classifier_prune
from moderation.retraining import classifier_retrain
from moderation.scoring_wanted import scoring_wanted_clear
from moderation.selectors import comment_list_labelled

logger = logging.getLogger(__name__)

EXPLAIN_CHUNK = 200

# Both ways into scoring (one comment's task, a coalesced run): safe to run twice.
_SCORING_TASK: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (DatabaseError, NoActiveModel),
    "retry_backoff": 2,
    "retry_backoff_max": 60,
    "retry_jitter": True,
    "max_retries": 8,
    "soft_time_limit": 30,
    "time_limit": 60,
}


@shared_task(**_SCORING_TASK)
def classify_comment(comment_id: int) -> None:
    """Score the comment (and any posted after it that wait: see score_comment_and_followers)."""
    _explain_later(score_comment_and_followers(comment_id))


@shared_task(**_SCORING_TASK)
def score_waiting() -> int:
    """Score every comment waiting, for all the comments that wanted scoring since the last
    run (coalesced scoring: moderation.scoring_wanted). The flag comes down first."""
    scoring_wanted_clear()
    result = score_waiting_comments(time_budget=settings.SWEEP_TIME_BUDGET_SECONDS)
    _explain_later(result.flagged)
    if not result.finished:
        # The rest in a task of its own, so other work on the queue gets its turn.
        enqueue_scoring_run()
    return result.scored


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    max_retries=3,
    soft_time_limit=120,
    time_limit=180,
)
def sweep_unscored() -> dict[str, object]:
    """Score, in batches, every comment whose task never ran (broker down, worker lost)."""
    try:
        result = sweep_unscored_comments()
    except NoActiveModel:
        logger.warning("Sweep skipped: no active model yet")
        return {"scored": 0}
    _explain_later(result.flagged)
    if result.scored:
        logger.info(
            "Sweep scored %d comments in %d batches in %.2f s%s",
            result.scored,
            result.batches,
            result.seconds,
            "" if result.finished else " (more left for the next sweep)",
        )
    return {"scored": result.scored, "seconds": result.seconds}


def _explain_later(comment_ids: list[int]) -> None:
    """Explanations the batch path left out, on the training queue (best effort)."""
    for start in range(0, len(comment_ids), EXPLAIN_CHUNK):
        publish_quietly(EXPLAIN_COMMENTS, comment_ids[start : start + EXPLAIN_CHUNK])


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, NoActiveModel),
    retry_backoff=2,
    max_retries=3,
    soft_time_limit=120,
    time_limit=180,
)
def explain_comments(comment_ids: list[int]) -> int:
    """Explanations the sweep left out, on the training queue so they never delay scoring."""
    return sum(explain_comment(comment_id) for comment_id in comment_ids)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    max_retries=3,
)
def retrain_models(
    task: str | None = None, force: bool = False, shadow: bool = False
) -> dict[str, str]:
    """Train a challenger per task and promote it if it is not worse (or, with ``shadow``,
    put it in shadow beside the active model); the training queue."""
    from moderation.classifier.model import TASKS  # scikit-learn: the training worker only

    outcome: dict[str, str] = {}
    for name in [task] if task else list(TASKS):
        if name not in TASKS:
            raise ValueError(f"Unknown classifier task {name!r}; known: {', '.join(TASKS)}")
        try:
            row = classifier_retrain(task=name, force=force, shadow=shadow)
        except ShadowStateConflict as error:
            logger.warning("Retraining %s into shadow skipped: %s", name, error)
            outcome[name] = f"skipped: {error}"
            continue
        except TrainingDataError as error:
            logger.warning("Retraining %s skipped: %s", name, error)
            outcome[name] = f"skipped: {error}"
            continue
        outcome[name] = f"{row.version[:12]} {row.state}"
    return outcome


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    max_retries=3,
)
def retrain_if_due() -> list[str]:
    """Retrain a task once RETRAIN_AFTER_DECISIONS new labels of its kind came since its model."""
    due = []
    for name in ClassifierModel.Task.values:
        last_trained = ClassifierModel.objects.filter(task=name).aggregate(at=Max("created_at"))[
            "at"
        ]
        decisions = comment_list_labelled(task=name, since=last_trained)
        if decisions.count() >= settings.RETRAIN_AFTER_DECISIONS:
            try:
                enqueue_retrain(name)
            except Exception:  # kombu raises several unrelated types for an unreachable broker
                logger.warning("Broker unreachable; retraining %s not queued", name, exc_info=True)
                continue
            due.append(name)
    return due


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=2, max_retries=3)
def purge_old_ips() -> int:
    """Erase request IPs older than IP_RETENTION_DAYS (daily, from beat)."""
    from moderation.privacy import ips_purge

    return ips_purge().comments


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=2, max_retries=3)
def prune_models() -> int:
    """Empty old model artifacts beyond MODEL_RETENTION_CHALLENGERS (nightly, from beat)."""
    return classifier_prune(keep_challengers=settings.MODEL_RETENTION_CHALLENGERS)


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=2, max_retries=3)
def prune_campaign_signatures() -> int:
    """Delete signatures older than the campaign window (hourly, from beat)."""
    return campaign_prune_signatures()


# --- Mail to readers (moderation.notifications) ------------------------------------------
# On the default queue, with retries: about 30 s, 1, 2, 4 and 8 minutes apart, well
# inside a broker's visibility timeout.
MAIL_MAX_RETRIES = 5
_MAIL_TASK: dict[str, Any] = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (*MAIL_ERRORS, DatabaseError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": MAIL_MAX_RETRIES,
    "soft_time_limit": 60,
    "time_limit": 90,
}


@shared_task(**_MAIL_TASK)
def send_mail_notification(self: Task, notification_id: int) -> str:  # type: ignore[type-arg]
    """Send one mail to a reader; a failing mail server is tried again, then recorded."""
    note = mail_notification_send(
        notification_id=notification_id, last_attempt=self.request.retries >= MAIL_MAX_RETRIES
    )
    return str(note.status) if note else "gone"


@shared_task(**_MAIL_TASK)
def send_reply_digest(self: Task, recipient_id: int) -> int:  # type: ignore[type-arg]
    """Send the replies held for one reader as one mail; returns how many it carried."""
    return len(
        mail_reply_digest_send(
            recipient_id=recipient_id, last_attempt=self.request.retries >= MAIL_MAX_RETRIES
        )
    )


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def sweep_mail() -> int:
    """Send mail to readers that is overdue because its task never ran (beat)."""
    return mail_sweep_overdue()


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=5, max_retries=5)
def mail_on_published(comment_ids: list[int]) -> int:
    """Queue the mails that comments becoming published call for."""
    return len(notify_comments_published(comment_ids=comment_ids))


@shared_task(acks_late=True, autoretry_for=(DatabaseError,), retry_backoff=5, max_retries=5)
def mail_on_rejected(comment_ids: list[int]) -> int:
    """Queue a statement of reasons for each rejected comment whose author can be told."""
    return len(notify_comments_rejected(comment_ids=comment_ids))
