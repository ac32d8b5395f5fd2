"""The registry refuses a model trained on another feature layout, and keeps scoring."""

import hashlib
import io
import logging
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from moderation import registry
from moderation.classifier import artifacts
from moderation.classifier.layout import LAYOUT_VERSION
from moderation.comment_scoring import NoActiveModel
from moderation.comment_scoring import active_models as load_active_models
from moderation.models import ClassifierModel
from moderation.retraining import classifier_retrain
from moderation.tasks import prune_models
from newsroom.celery import app

# Each test starts as a worker that has loaded nothing yet.
pytestmark = pytest.mark.usefixtures("fresh_worker")


def _activate_stale_spam_model(model) -> ClassifierModel:
    """The model's pipeline saved as code with one signal fewer would have saved it."""
    older = {**model.layout, "signals": model.layout["signals"][:-1]}
    data = artifacts.dump("spam", model.pipeline, model.info, older)
    ClassifierModel.objects.filter(task="spam", state="active").update(state="retired")
    return ClassifierModel.objects.create(
        task="spam",
        version=hashlib.sha256(data).hexdigest(),
        state="active",
        sklearn_version=model.sklearn_version,
        training_size=1,
        artifact=data,
        artifact_bytes=len(data),
        layout=older,
    )


def test_a_registered_model_records_its_layout(active_models):
    row = ClassifierModel.objects.get(task="spam", state="active")
    assert row.layout["version"] == LAYOUT_VERSION
    assert row.layout["signals"][0] == "many links" and len(row.layout["signals"]) == 12


def test_a_model_of_another_layout_is_refused_and_the_last_good_one_keeps_serving(
    active_models,
    caplog,
):
    good = registry.active_classifier("spam")
    assert good is not None and good.version == active_models["spam"].version
    stale = _activate_stale_spam_model(active_models["spam"])
    with caplog.at_level(logging.ERROR, logger="moderation.registry"):
        assert registry.active_classifier("spam") is good
        assert registry.active_classifier("spam") is good
    [line] = [record.getMessage() for record in caplog.records]
    assert line.startswith(f"Refusing spam model {stale.version}: its feature layout")
    assert "(differs in signals)" in line and "stored layout {" in line and "code layout {" in line
    assert f"still serving {good.version}" in line
    assert load_active_models().spam is good


def test_a_fresh_worker_scores_nothing_until_a_usable_model_is_active(
    active_models,
    caplog,
):
    _activate_stale_spam_model(active_models["spam"])
    with caplog.at_level(logging.ERROR, logger="moderation.registry"):
        assert registry.active_classifier("spam") is None
        with pytest.raises(NoActiveModel):
            load_active_models()
    assert "no model loaded, scoring waits" in caplog.records[0].getMessage()


def test_train_default_models_replaces_an_active_model_of_a_stale_layout(
    active_models,
):
    stale = _activate_stale_spam_model(active_models["spam"])
    out = io.StringIO()
    call_command("train_default_models", stdout=out)
    assert "spam: active model" in out.getvalue() and "stale feature layout" in out.getvalue()
    active = ClassifierModel.objects.get(task="spam", state="active")
    assert active.version != stale.version
    assert active.layout["signals"] == active_models["spam"].layout["signals"]
    assert registry.active_classifier("spam").version == active.version
    # The spoiler model was usable: left as it was.
    assert ClassifierModel.objects.get(task="spoiler", state="active").version == (
        active_models["spoiler"].version
    )


# -- retention ------------------------------------------------------------------------


def _row(task: str, name: str, state: str, days_ago: int, **fields) -> ClassifierModel:
    return ClassifierModel.objects.create(
        task=task,
        version=name.ljust(64, "0"),
        state=state,
        created_at=timezone.now() - timedelta(days=days_ago),
        sklearn_version="1.9.0",
        training_size=100,
        metrics={"f1": 0.9, "n": 40},
        artifact=f"model {name}".encode(),
        artifact_bytes=len(f"model {name}"),
        **fields,
    )


def test_pruning_keeps_the_active_the_previous_and_the_newest_challengers(db, settings):
    settings.MODEL_RETENTION_CHALLENGERS = 3
    activated = timezone.now() - timedelta(days=30)
    _row("spam", "active", "active", 1, activated_at=activated)
    # Two former active models: the one active last is "previous", though older.
    _row("spam", "previous", "retired", 60, activated_at=activated - timedelta(days=1))
    _row("spam", "retired-before", "retired", 50, activated_at=activated - timedelta(days=9))
    for day in range(2, 8):
        _row("spam", f"challenger-{day}", "rejected", day)
    _row("spoiler", "spoiler-active", "active", 1)
    _row("spoiler", "spoiler-challenger", "rejected", 90)

    assert prune_models.run() == 4
    with_file = {
        row.version.rstrip("0")
        for row in ClassifierModel.objects.exclude(artifact=b"").only("version")
    }
    assert with_file == {
        "active",
        "previous",
        "challenger-2",
        "challenger-3",
        "challenger-4",
        "spoiler-active",
        "spoiler-challenger",
    }
    pruned = ClassifierModel.objects.filter(pruned_at__isnull=False)
    assert {row.version.rstrip("0") for row in pruned} == {
        "retired-before",
        "challenger-5",
        "challenger-6",
        "challenger-7",
    }
    # The rows and their figures stay.
    assert ClassifierModel.objects.count() == 11
    assert all(row.metrics == {"f1": 0.9, "n": 40} and row.artifact_bytes == 0 for row in pruned)
    assert prune_models.run() == 0


def test_models_are_pruned_nightly_on_the_training_queue():
    entry = django_settings.CELERY_BEAT_SCHEDULE["prune-models"]
    assert entry["task"] == "moderation.tasks.prune_models"
    assert app.amqp.router.route({}, "moderation.tasks.prune_models")["queue"].name == "training"
    assert django_settings.MODEL_RETENTION_CHALLENGERS == 10


def test_a_retrain_replaces_an_active_model_this_code_refuses(active_models):
    assert registry.active_classifier("spam") is not None  # the last good one, loaded
    stale = _activate_stale_spam_model(active_models["spam"])
    row = classifier_retrain(task="spam")
    assert row.state == "active" and row.version != stale.version
    assert row.compared_with == {}
    assert row.note.startswith("No active model to compare with")
