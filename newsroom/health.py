"""Liveness and readiness probes for load balancers and compose health checks.

/healthz says the process answers (no I/O). /readyz says it can do its job: the database
answers, the broker accepts a connection, and each classifier task has an active model
whose feature layout this code reads; it says only "ok" or "unavailable" per check, and
logs why a check failed.
Both bypass sessions and authentication and never touch a template: HealthCheckMiddleware
answers them before the host check and the HTTPS redirect, so a probe on plain HTTP by IP works.
"""

import logging
import time
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from moderation.classifier.layout import code_mismatch
from moderation.models import ClassifierModel

logger = logging.getLogger("newsroom.health")

BROKER_TIMEOUT_SECONDS = 1


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker() -> None:
    from newsroom.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)


def _check_models() -> None:
    """Each task has an active model, trained on the feature layout of this code (one a
    worker would not refuse); the layout is read from the row, the artifact stays unread.
    """
    active = dict(
        ClassifierModel.objects.filter(state=ClassifierModel.State.ACTIVE).values_list(
            "task", "layout"
        )
    )
    missing = sorted(set(ClassifierModel.Task.values) - set(active))
    if missing:
        raise LookupError(f"no active model for {', '.join(missing)}")
    stale = {task: code_mismatch(layout) for task, layout in sorted(active.items())}
    problems = [f"{task}: {reason}" for task, reason in stale.items() if reason]
    if problems:
        raise LookupError(
            "active model's feature layout does not match the code: " + " | ".join(problems)
        )


# Each check returns when its part is ready and raises when it is not.
CHECKS: dict[str, Callable[[], None]] = {
    "database": _check_database,
    "broker": _check_broker,
    "models": _check_models,
}
# Not run while the database is down: each would only wait out its connect timeout again.
NEEDS_DATABASE = frozenset({"models"})

OK, UNAVAILABLE = "ok", "unavailable"


def _run(name: str, check: Callable[[], None]) -> str:
    try:
        check()
    except Exception as error:  # any failure means "not ready"
        # The reason (a host name, a user, a path) is for the operator's log only; the
        # probe is answered to anyone who asks.
        logger.warning(
            "Not ready: the %s check failed: %s: %s",
            name,
            type(error).__name__,
            error,
            extra={"check": name},
        )
        return UNAVAILABLE
    return OK


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    started = time.perf_counter()
    checks: dict[str, str] = {}
    for name, check in CHECKS.items():
        if name in NEEDS_DATABASE and checks.get("database") != OK:
            checks[name] = UNAVAILABLE
            continue
        checks[name] = _run(name, check)
    ready = all(value == OK for value in checks.values())
    return JsonResponse(
        {
            "status": "ready" if ready else UNAVAILABLE,
            "checks": checks,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        },
        status=200 if ready else 503,
    )


PROBES: dict[str, Callable[[HttpRequest], JsonResponse]] = {"/healthz": healthz, "/readyz": readyz}


class HealthCheckMiddleware:
    """First in MIDDLEWARE: answers the probes, passes everything else on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)
