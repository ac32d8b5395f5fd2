"""Structured logs: one line of JSON per event, each carrying the request id that caused it.

The request id is set by `newsroom.middleware.RequestIdMiddleware` for a web request, travels
with every Celery task that request queues (a message header), and is restored in the worker
while the task runs, so one grep follows a comment from the POST to its scoring.

This module is named in LOGGING, so every process that configures Django (web and worker)
imports it, which is what connects the Celery signals below.
"""

import json
import logging
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from celery import signals

request_id_var: ContextVar[str] = ContextVar("request_id", default="")
task_id_var: ContextVar[str] = ContextVar("task_id", default="")

REQUEST_ID_HEADER = "request_id"

# Attributes every LogRecord has; anything else was passed with `extra=` and is logged too.
_RECORD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()
    | {"message", "asctime", "request_id", "task_id", "taskName"}
)


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request and task ids (empty outside one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.task_id = task_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, ids, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        event: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "task_id"):
            value = getattr(record, key, "")
            if value:
                event[key] = value
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                event[key] = value
        if record.exc_info:
            event["exc_type"] = record.exc_info[0].__name__ if record.exc_info[0] else ""
            event["exc"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        return json.dumps(event, default=str, ensure_ascii=False)


def logging_config(*, level: str, json_lines: bool) -> dict[str, Any]:
    """The LOGGING dict: JSON lines in production, readable text while developing."""
    formatter = (
        {"()": "newsroom.logging.JsonFormatter"}
        if json_lines
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "newsroom.logging.RequestIdFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "default",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django logs each 4xx/5xx itself; the request middleware already logs every
            # request once with its status, so these would be the same event twice.
            "django.request": {"level": "ERROR"},
            "django.server": {"level": "WARNING"},
            # The worker's own loggers propagate to the root handler above.
            "celery": {"level": level},
        },
    }


@signals.before_task_publish.connect
def _attach_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    request_id = request_id_var.get()
    if headers is not None and request_id:
        headers.setdefault(REQUEST_ID_HEADER, request_id)


@signals.task_prerun.connect
def _restore_request_id(task_id: str = "", task: Any = None, **_: Any) -> None:
    request_id = getattr(getattr(task, "request", None), REQUEST_ID_HEADER, None) or ""
    request_id_var.set(str(request_id))
    task_id_var.set(task_id or "")


@signals.task_postrun.connect
def _clear_request_id(**_: Any) -> None:
    request_id_var.set("")
    task_id_var.set("")
