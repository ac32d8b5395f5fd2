import json
import logging
import threading

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker

from newsroom.logging import JsonFormatter, RequestIdFilter, request_id_var

_seen: list[str] = []
_ran = threading.Event()


# A bare app on the in-memory broker: the signals are the project's (connected for every
# app), and the worker starts without importing the classifier stack.
celery_app = Celery("request-id-test", broker="memory://", set_as_current=False)
celery_app.conf.broker_transport_options = {"polling_interval": 0.05}


@celery_app.task(name="tests.production.record_request_id")
def record_request_id() -> None:
    _seen.append(request_id_var.get())
    _ran.set()


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("newsroom.test", logging.INFO, __file__, 1, message, (), None)
    for key, value in extra.items():
        setattr(record, key, value)
    RequestIdFilter().filter(record)
    return record


@pytest.mark.django_db
def test_it_gives_each_response_a_request_id(client):
    first = client.get("/")["X-Request-ID"]
    second = client.get("/")["X-Request-ID"]
    assert len(first) == 32 and first != second


@pytest.mark.django_db
def test_it_keeps_a_proxy_request_id_and_refuses_a_forged_one(client):
    assert client.get("/", HTTP_X_REQUEST_ID="lb-0123456789")["X-Request-ID"] == "lb-0123456789"
    forged = client.get("/", HTTP_X_REQUEST_ID='x"}\n{"level": "CRITICAL')["X-Request-ID"]
    assert "CRITICAL" not in forged and len(forged) == 32


@pytest.mark.django_db
def test_it_logs_each_request_once_with_its_id_status_and_duration(client, caplog):
    with caplog.at_level(logging.INFO, logger="newsroom.request"):
        response = client.get("/", HTTP_X_REQUEST_ID="req-abcdef123")
    [record] = [r for r in caplog.records if r.name == "newsroom.request"]
    assert record.status == 200 and record.path == "/" and record.duration_ms >= 0
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == response["X-Request-ID"] == "req-abcdef123"


def test_it_writes_one_line_of_json_per_event_with_extras_and_exception():
    token = request_id_var.set("req-123456789")
    try:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            import sys

            record = _record("scored %s", comment_id=7)
            record.exc_info = sys.exc_info()
    finally:
        request_id_var.reset(token)
    text = JsonFormatter().format(record)
    assert "\n" not in text
    event = json.loads(text)
    assert event["request_id"] == "req-123456789"
    assert event["comment_id"] == 7
    assert event["level"] == "INFO" and event["logger"] == "newsroom.test"
    assert event["exc_type"] == "RuntimeError" and "boom" in event["exc"]


def test_it_leaves_the_request_id_out_of_lines_outside_a_request():
    event = json.loads(JsonFormatter().format(_record("beat tick")))
    assert "request_id" not in event


def test_it_carries_the_request_id_into_the_task_the_request_queued():
    _seen.clear()
    _ran.clear()
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        token = request_id_var.set("req-carried-42")
        try:
            record_request_id.delay()
        finally:
            request_id_var.reset(token)
        assert _ran.wait(10), "the worker never ran the task"

    assert _seen == ["req-carried-42"]
