"""What the comment services announce once a change is committed.

Outbound work (webhooks, reader mail) listens here instead of living in the decision
services. Each signal carries ids only: receivers re-read the rows, and must do no more
than queue a task, since they run inside the request or task that made the change.
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)

# comment_ids: comments that have just become approved (by a person, a bulk or cluster
# decision, or scoring publishing them automatically).
comment_published = Signal()
# comment_ids: comments that have just become rejected or spam, by a person or
# automatically; their latest ModerationEvent says who, why and with which model.
comment_rejected = Signal()
# report_ids: readers' reports just recorded.
comment_reported = Signal()

PUBLISHED = "approved"
REMOVED = ("rejected", "spam")


def send_after_commit(signal: Signal, **ids: object) -> None:
    """Send `signal` once the current transaction commits (at once outside one).

    A failing receiver is logged, never raised: the change it follows is committed.
    """

    def send() -> None:
        for receiver, result in signal.send_robust(sender=None, **ids):
            if isinstance(result, Exception):
                log.error("signal receiver %r failed", receiver, exc_info=result)

    transaction.on_commit(send)


def announce_transitions(transitions: Iterable[tuple[int, str, str]]) -> None:
    """Announce the comments whose status changed: (comment id, from status, to status)."""
    published: list[int] = []
    removed: list[int] = []
    for comment_id, from_status, to_status in transitions:
        if from_status == to_status:
            continue
        if to_status == PUBLISHED:
            published.append(comment_id)
        elif to_status in REMOVED and from_status not in REMOVED:
            removed.append(comment_id)
    if published:
        send_after_commit(comment_published, comment_ids=published)
    if removed:
        send_after_commit(comment_rejected, comment_ids=removed)
