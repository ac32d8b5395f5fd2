"""An editor reads a model's health, retrains it and sees the new version appear."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from moderation import services
from moderation.models import ClassifierModel
from tests.browser.desk_helpers import log_in, screenshot
from tests.desk.factories import FULL_METRICS, classifier_model, scored_comment


@pytest.mark.django_db(transaction=True)
def test_an_editor_reads_a_models_health(live_server, page, editor, moderator, article):
    classifier_model(version="d4" * 32, state="retired", metrics={**FULL_METRICS, "f1": 0.85})
    classifier_model(
        version="c3" * 32,
        compared_with={"version": "d4" * 32, "metrics": {**FULL_METRICS, "f1": 0.85}},
    )
    for i, (score, decide) in enumerate(
        [
            (0.7, services.comment_mark_spam),
            (0.6, services.comment_approve),
            (0.8, services.comment_mark_spam),
        ]
    ):
        comment = scored_comment(
            article, f"comment {i}", spam_score=score, spam_model_version="c3" * 32
        )
        decide(comment_id=comment.pk, actor=moderator)
    cache.clear()  # no "retraining queued" note left by another test
    log_in(page, live_server.url, "bob", "pw-bob")
    page.goto(live_server.url + "/admin/moderation/classifiermodel/")
    expect(page.locator("#desk-active-version")).to_contain_text("c3c3c3")
    expect(page.locator("svg[aria-label='Confusion matrix']")).to_be_visible()
    expect(page.locator("svg[aria-label='Precision-recall curve']")).to_be_visible()
    expect(page.locator("#desk-model-history tbody tr")).to_have_count(2)
    screenshot(page, "desk-model")

    page.goto(live_server.url + "/admin/")
    expect(page.locator("#desk-dashboard svg.desk-chart")).to_be_visible()
    expect(page.locator("#desk-dashboard")).to_contain_text("3 in the last 30 days")
    screenshot(page, "desk-dashboard")


@pytest.mark.django_db(transaction=True)
def test_an_editor_retrains_and_sees_the_new_version(live_server, page, editor, monkeypatch):
    from moderation.retraining import classifier_retrain

    queued: list[tuple[str, list]] = []
    # The button queues the task on the training queue; here the "worker" is this test.
    monkeypatch.setattr(
        "newsroom.celery.app.send_task",
        lambda name, args: queued.append((name, args)) or SimpleNamespace(id="task-1"),
    )
    cache.clear()  # no "retraining queued" note left by another test
    log_in(page, live_server.url, "bob", "pw-bob")
    page.goto(live_server.url + "/admin/moderation/classifiermodel/task/spam/")
    page.click("#desk-retrain")
    expect(page.locator("#desk-retrain-waiting")).to_be_visible()
    assert queued == [("moderation.tasks.retrain_models", ["spam"])]

    model = classifier_retrain(task="spam")
    page.reload()
    expect(page.locator("#desk-retrain-waiting")).to_have_count(0)
    expect(page.locator("#desk-model-history")).to_contain_text(model.version[:10])
    if model.state == ClassifierModel.State.ACTIVE:
        expect(page.locator("#desk-active-version")).to_contain_text(model.version[:10])
