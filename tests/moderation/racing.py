"""Two sides of a race on PostgreSQL: the first holds its lock until the second waits on it."""

import threading
import time
from collections.abc import Callable

from django.db import close_old_connections, connection, transaction

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


def race(
    first: Callable[[], object],
    second: Callable[[], object],
    refusals: tuple[type[Exception], ...],
) -> dict[str, str]:
    """Run `first` in a transaction kept open until `second` waits on its lock, then commit."""
    both_inside = threading.Barrier(2, timeout=WAIT)
    second_pid: list[int] = []
    outcomes: dict[str, str] = {}

    def run(name: str, body: Callable[[], None]) -> None:
        try:
            body()
            outcomes[name] = "done"
        except refusals as refused:
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
