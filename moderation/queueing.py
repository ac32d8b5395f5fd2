"""Queue background work by task name, without importing the tasks.

The web tier only publishes: importing moderation.tasks would pull the classifier
and scikit-learn into every web process (seconds on the first comment, and memory).
"""

import logging

from celery import current_app
from django.conf import settings

from moderation.scoring_wanted import scoring_wanted_clear, scoring_wanted_raise

logger = logging.getLogger(__name__)

CLASSIFY_COMMENT = "moderation.tasks.classify_comment"
SCORE_WAITING = "moderation.tasks.score_waiting"
EXPLAIN_COMMENTS = "moderation.tasks.explain_comments"
RETRAIN_MODELS = "moderation.tasks.retrain_models"


def publish_quietly(task_name: str, *args: object, **kwargs: object) -> bool:
    """Send a task; when the broker is unreachable, log it and return False.

    Publishing fails fast (see CELERY_TASK_PUBLISH_RETRY_POLICY and the broker's
    socket timeouts in settings), so a reader's request never waits on a dead broker.
    """
    try:
        current_app.send_task(task_name, args=args, kwargs=kwargs)
    except Exception:  # kombu raises several unrelated types for an unreachable broker
        logger.warning("Broker unreachable; %s not queued", task_name, exc_info=True)
        return False
    return True


def enqueue_classification(comment_id: int) -> None:
    """Queue scoring; a broker that is down loses nothing, the sweep scores it later.

    Coalesced (settings.SCORING_COALESCE): a task only when no scoring task is already
    wanted (moderation.scoring_wanted); that task scores every comment waiting.
    """
    if settings.SCORING_COALESCE:
        published = enqueue_scoring_run()
    else:
        published = publish_quietly(CLASSIFY_COMMENT, comment_id)
    if not published:
        logger.warning("Comment %s waits for the sweep", comment_id)


def enqueue_scoring_run() -> bool:
    """Ask for a score_waiting run; False only when one was due and could not be queued."""
    if not scoring_wanted_raise():
        return True  # a run is already on its way and will see what committed before
    if publish_quietly(SCORE_WAITING):
        return True
    # Lowered again, so the next comment tries to publish rather than wait for expiry.
    scoring_wanted_clear()
    return False


def queue_of(task_name: str) -> str:
    """The queue a task is routed to (CELERY_TASK_ROUTES), "celery" when unrouted."""
    route = settings.CELERY_TASK_ROUTES.get(task_name, {})
    return str(route.get("queue", "celery"))


def enqueue_retrain(task: str, *, shadow: bool = False) -> str:
    """Queue retraining of one classifier task; returns the Celery task id.

    With ``shadow`` the challenger goes in shadow rather than being promoted or rejected.
    Raises when the broker is unreachable, so whoever asked is told nothing was queued.
    """
    if shadow:
        return str(current_app.send_task(RETRAIN_MODELS, args=[task], kwargs={"shadow": True}).id)
    return str(current_app.send_task(RETRAIN_MODELS, args=[task]).id)
