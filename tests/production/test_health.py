import logging
import time

import pytest

from moderation.models import ClassifierModel
from newsroom.celery import app as celery_app
from newsroom.health import CHECKS


def test_it_answers_healthz_without_touching_the_database(client):
    # No django_db mark: any query here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_answers_probes_whatever_the_host_header(client):
    # Load balancers probe by IP; the host check would otherwise answer 400.
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200


def test_it_is_ready_with_database_broker_and_both_models(client, active_models):
    started = time.perf_counter()
    response = client.get("/readyz")
    elapsed_ms = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"] == {"database": "ok", "broker": "ok", "models": "ok"}
    assert elapsed_ms < 500


def test_it_is_not_ready_without_an_active_model_for_each_task(client, active_models, caplog):
    active_models[1].state = "retired"
    active_models[1].save()
    with caplog.at_level(logging.WARNING, logger="newsroom.health"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["models"] == "unavailable"
    assert "no active model for spoiler" in caplog.text


def test_it_is_not_ready_when_the_broker_is_unreachable(client, active_models, monkeypatch):
    # Port 1 on loopback refuses at once: nothing listens there.
    monkeypatch.setattr(celery_app.conf, "broker_write_url", "redis://127.0.0.1:1/0")
    started = time.perf_counter()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"] == {
        "database": "ok",
        "broker": "unavailable",
        "models": "ok",
    }
    assert time.perf_counter() - started < 3


def test_it_keeps_why_a_check_failed_out_of_the_answer_and_in_the_log(
    client, active_models, monkeypatch, caplog
):
    monkeypatch.setattr(
        celery_app.conf, "broker_write_url", "redis://queue-user:hunter2@127.0.0.1:1/0"
    )
    with caplog.at_level(logging.WARNING, logger="newsroom.health"):
        response = client.get("/readyz")
    assert response.json()["checks"]["broker"] == "unavailable"
    assert "127.0.0.1" not in response.text and "Error" not in response.text
    [record] = [r for r in caplog.records if r.name == "newsroom.health"]
    assert record.check == "broker"
    assert "127.0.0.1:1" in record.getMessage()


@pytest.mark.django_db
def test_probes_are_never_cached(client):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_is_not_ready_when_an_active_model_has_a_stale_feature_layout(client, active_models):
    # A model trained before the code gained a signal: every worker would refuse it.
    spam = active_models[0]
    spam.layout = {**spam.layout, "signals": spam.layout["signals"][:-1]}
    spam.save()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "ok"
    assert response.json()["checks"]["models"] != "ok"
    with pytest.raises(LookupError, match="spam: differs in signals"):
        CHECKS["models"]()


def test_it_is_not_ready_when_an_active_model_records_no_layout(client, active_models):
    ClassifierModel.objects.filter(task="spoiler").update(layout={})
    assert client.get("/readyz").status_code == 503
    with pytest.raises(LookupError, match="spoiler: no layout recorded"):
        CHECKS["models"]()
