"""Retraining runs on its own queue, on demand, nightly and after enough decisions."""

from unittest import mock

import pytest
from django.conf import settings

from moderation.models import ClassifierModel
from moderation.services import comment_approve, comment_mark_spam, comment_set_spoiler
from moderation.tasks import retrain_if_due, retrain_models
from newsroom.celery import app
from tests.pipeline.waiting import wait_until


def _queue(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_scoring_and_retraining_use_separate_queues():
    assert _queue("moderation.tasks.classify_comment") == "scoring"
    assert _queue("moderation.tasks.sweep_unscored") == "scoring"
    assert _queue("moderation.tasks.retrain_models") == "training"
    assert _queue("moderation.tasks.retrain_if_due") == "training"
    assert _queue("moderation.tasks.explain_comments") == "training"


def test_beat_sweeps_often_and_retrains_nightly():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["sweep-unscored"]["task"] == "moderation.tasks.sweep_unscored"
    assert schedule["sweep-unscored"]["schedule"] <= 60
    assert schedule["retrain-nightly"]["task"] == "moderation.tasks.retrain_models"
    assert schedule["retrain-if-due"]["task"] == "moderation.tasks.retrain_if_due"


@pytest.mark.django_db(transaction=True)
def test_retrain_by_name_trains_and_registers_a_challenger(celery_worker):
    # Sent by name, as the API and the admin send it.
    app.send_task("moderation.tasks.retrain_models", kwargs={"task": "spam"})
    wait_until(
        lambda: ClassifierModel.objects.filter(task="spam").count() == 2,
        timeout=120,
        message="no challenger was registered",
    )
    assert ClassifierModel.objects.filter(task="spam", state="active").count() == 1


def test_retrain_refuses_an_unknown_task(db):
    with pytest.raises(ValueError, match="Unknown classifier task"):
        retrain_models.run(task="weather")


def test_it_retrains_after_enough_new_decisions_of_each_kind(
    make_comment, moderator, active_models, settings
):
    settings.RETRAIN_AFTER_DECISIONS = 3
    with mock.patch("moderation.tasks.enqueue_retrain") as enqueue:
        assert retrain_if_due.run() == []
        for comment in [make_comment() for _ in range(2)]:
            comment_approve(comment_id=comment.pk, actor=moderator)
        assert retrain_if_due.run() == []
        comment_mark_spam(comment_id=make_comment().pk, actor=moderator)
        # Status decisions are spam labels only.
        assert retrain_if_due.run() == ["spam"]
        for comment in [make_comment() for _ in range(3)]:
            comment_set_spoiler(comment_id=comment.pk, actor=moderator, is_spoiler=True)
        assert retrain_if_due.run() == ["spam", "spoiler"]
    assert sorted(call.args[0] for call in enqueue.call_args_list) == ["spam", "spam", "spoiler"]
