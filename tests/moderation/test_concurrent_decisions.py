"""Two moderators decide the same comment at the same moment: one wins, one is told.

Needs PostgreSQL (row locks between connections); runs in CI's second pass, where
DATABASE_URL points at it.
"""

import os
import threading
import time
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection, transaction

from moderation.models import Comment, ModerationEvent
from moderation.services import CommentConflict, comment_approve, comment_mark_spam

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="row locks between connections need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

WAIT = 10.0


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def _waits_for_a_lock(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row is not None and row[0] == "Lock"


def test_of_two_moderators_deciding_at_once_exactly_one_wins(make_comment, moderator, editor):
    comment = make_comment(status="pending")
    both_inside = threading.Barrier(2, timeout=WAIT)
    second_pid: list[int] = []
    outcomes: dict[str, str] = {}

    def run(name: str, body: Callable[[], None]) -> None:
        try:
            body()
            outcomes[name] = "decided"
        except CommentConflict as conflict:
            outcomes[name] = f"conflict: now {conflict.comment.status}"
        except Exception as error:  # any other failure shows in the assertion below
            outcomes[name] = f"error: {error!r}"
        finally:
            close_old_connections()
            connection.close()

    def first() -> None:
        # Decides inside a transaction it keeps open, so its row lock is held while the
        # second moderator arrives; it commits once the second is waiting on that lock.
        with transaction.atomic():
            comment_approve(comment_id=comment.pk, actor=moderator, expected_status="pending")
            both_inside.wait()
            deadline = time.monotonic() + WAIT
            while not second_pid or not _waits_for_a_lock(second_pid[0]):
                if time.monotonic() > deadline:
                    raise TimeoutError("the second decision never waited for the lock")
                time.sleep(0.01)

    def second() -> None:
        second_pid.append(_backend_pid())
        both_inside.wait()
        comment_mark_spam(comment_id=comment.pk, actor=editor, expected_status="pending")

    threads = [
        threading.Thread(target=run, args=("first", first)),
        threading.Thread(target=run, args=("second", second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=3 * WAIT)

    assert outcomes == {"first": "decided", "second": "conflict: now approved"}
    assert Comment.objects.get(pk=comment.pk).status == "approved"
    decisions = ModerationEvent.objects.filter(comment=comment, actor__isnull=False)
    assert list(decisions.values_list("action", "actor")) == [("approved", moderator.pk)]
