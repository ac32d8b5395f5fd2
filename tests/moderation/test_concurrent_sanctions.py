"""Two moderators ban, or lift, the same commenter at the same moment: one wins, one is told.

Needs PostgreSQL (locks between connections); runs where DATABASE_URL points at it.
"""

import os
import threading
import time
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction

from moderation.models import CommenterSanction
from moderation.sanctions import SanctionConflict, commenter_ban, commenter_sanction_lift
from tests.moderation.test_concurrent_decisions import WAIT, _backend_pid, _waits_for_a_lock

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="locks between connections need PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]

READER = "reader@example.org"


def _race(first: Callable[[], object], second: Callable[[], object]) -> dict[str, str]:
    """Run `first` in a transaction kept open until `second` waits on its lock, then commit."""
    both_inside = threading.Barrier(2, timeout=WAIT)
    second_pid: list[int] = []
    outcomes: dict[str, str] = {}

    def run(name: str, body: Callable[[], None]) -> None:
        try:
            body()
            outcomes[name] = "done"
        except (ValidationError, SanctionConflict) as refused:
            outcomes[name] = f"refused: {refused}"
        except Exception as error:  # any other failure shows in the assertion
            outcomes[name] = f"error: {error!r}"
        finally:
            close_old_connections()
            connection.close()

    def holding() -> None:
        with transaction.atomic():
            first()
            both_inside.wait()
            deadline = time.monotonic() + WAIT
            while not second_pid or not _waits_for_a_lock(second_pid[0]):
                if time.monotonic() > deadline:
                    raise TimeoutError("the second never waited for the lock")
                time.sleep(0.01)

    def waiting() -> None:
        second_pid.append(_backend_pid())
        both_inside.wait()
        second()

    threads = [
        threading.Thread(target=run, args=("first", holding)),
        threading.Thread(target=run, args=("second", waiting)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=3 * WAIT)
    return outcomes


def test_two_moderators_banning_at_once_make_one_ban(make_comment, moderator, editor):
    make_comment("An earlier comment.", author_email=READER)
    outcomes = _race(
        lambda: commenter_ban(actor=moderator, email=READER, reason="touting"),
        lambda: commenter_ban(actor=editor, email=READER, reason="abuse"),
    )
    ban = CommenterSanction.objects.get()
    assert outcomes["first"] == "done"
    assert outcomes["second"].startswith("refused: ")
    assert f"{READER} is already under a ban (#{ban.pk})." in outcomes["second"]
    assert (ban.created_by, ban.reason) == (moderator, "touting")


def test_two_moderators_lifting_at_once_lift_it_once(make_comment, moderator, editor):
    make_comment("An earlier comment.", author_email=READER)
    ban = commenter_ban(actor=moderator, email=READER, reason="touting")
    outcomes = _race(
        lambda: commenter_sanction_lift(sanction_id=ban.pk, actor=moderator, reason="appeal"),
        lambda: commenter_sanction_lift(sanction_id=ban.pk, actor=editor, reason="mistake"),
    )
    ban.refresh_from_db()
    assert outcomes == {"first": "done", "second": f"refused: Sanction {ban.pk} is already lifted."}
    assert (ban.lifted_by, ban.lift_reason) == (moderator, "appeal")
