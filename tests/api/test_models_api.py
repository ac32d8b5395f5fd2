import pytest

from moderation.models import ClassifierModel

pytestmark = pytest.mark.django_db
MODELS = "/api/v1/moderation/models/"


def make_model(task: str, version: str, state: str) -> ClassifierModel:
    return ClassifierModel.objects.create(
        task=task,
        version=version,
        state=state,
        sklearn_version="1.9.0",
        training_size=420,
        sources={"seed": 420},
        metrics={"f1": 0.91, "roc_auc": 0.97},
        artifact=b"\x00" * 1000,
        artifact_bytes=1000,
    )


def test_it_lists_the_registry_with_metrics_but_never_the_artifact(editor_client):
    make_model("spam", "a" * 64, "retired")
    active = make_model("spam", "b" * 64, "active")
    make_model("spoiler", "c" * 64, "active")
    response = editor_client.get(MODELS, {"task": "spam"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [m["version"][0] for m in results] == ["b", "a"]
    assert results[0]["metrics"]["f1"] == 0.91 and results[0]["id"] == active.pk
    assert "artifact" not in results[0]
    assert [m["task"] for m in editor_client.get(MODELS, {"state": "active"}).json()["results"]]


def test_retraining_is_queued_on_the_training_queue(editor_client, monkeypatch):
    sent = []

    class Result:
        id = "task-123"

    def send_task(name, args=None, queue=None, **kwargs):
        sent.append((name, args, queue))
        return Result()

    from newsroom.celery import app

    monkeypatch.setattr(app, "send_task", send_task)
    response = editor_client.post(f"{MODELS}retrain/", {"task": "spoiler"}, format="json")
    assert response.status_code == 202
    assert response.json() == {
        "task": "spoiler",
        "shadow": False,
        "task_id": "task-123",
        "queue": "training",
    }
    # Routed to the training queue by CELERY_TASK_ROUTES, not by each caller.
    assert sent == [("moderation.tasks.retrain_models", ["spoiler"], None)]


def test_retraining_answers_503_when_the_broker_is_down(editor_client, monkeypatch):
    from newsroom.celery import app

    def send_task(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(app, "send_task", send_task)
    response = editor_client.post(f"{MODELS}retrain/", {"task": "spam"}, format="json")
    assert response.status_code == 503


def test_retraining_needs_a_known_task(editor_client):
    response = editor_client.post(f"{MODELS}retrain/", {"task": "everything"}, format="json")
    assert response.status_code == 400 and "task" in response.json()


def test_a_pruned_model_is_listed_with_its_figures_and_no_file(editor_client):
    from django.utils import timezone

    pruned = make_model("spam", "d" * 64, "rejected")
    ClassifierModel.objects.filter(pk=pruned.pk).update(
        artifact=b"", artifact_bytes=0, pruned_at=timezone.now()
    )
    make_model("spam", "e" * 64, "active")
    results = {m["version"][0]: m for m in editor_client.get(MODELS).json()["results"]}
    assert results["d"]["pruned_at"] is not None and results["d"]["artifact_bytes"] == 0
    assert results["d"]["metrics"] == {"f1": 0.91, "roc_auc": 0.97}
    assert results["e"]["pruned_at"] is None and results["e"]["artifact_bytes"] == 1000
