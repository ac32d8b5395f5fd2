"""Thresholds re-fitted on the newsroom's decided comments feed the one site policy."""

import dataclasses

import pytest
from django.core.cache import cache

from articles.models import Section
from moderation.calibration.selectors import fitted_threshold_for, fitted_threshold_values
from moderation.calibration.services import (
    TargetPrecisionError,
    fitted_threshold_refit,
    fitted_threshold_target_set,
)
from moderation.classifier import TASK_CONFIGS, train
from moderation.models import FittedThreshold
from moderation.policy import site_policy
from moderation.retraining import build_training_set, classifier_retrain, seed_examples
from moderation.section_policy import section_policy

SPOILER_PAGE = "/admin/moderation/classifiermodel/task/spoiler/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def seed_spam_model():
    texts, labels = seed_examples("spam")
    quick = dataclasses.replace(TASK_CONFIGS["spam"], c_grid=(100.0,), calibration_folds=3)
    return train("spam", texts, labels, config=quick), texts, labels


def test_a_fitted_reject_takes_the_settings_place_and_pulls_the_hold_down(settings):
    settings.SPAM_REJECT, settings.SPAM_HOLD, settings.SPOILER_FLAG = 0.9, 0.5, 0.5
    fitted = site_policy({"spam_reject": 0.8, "spoiler_flag": 0.7})
    assert (fitted.spam_reject, fitted.spam_hold, fitted.spoiler_flag) == (0.8, 0.5, 0.7)
    low = site_policy({"spam_reject": 0.4})
    assert (low.spam_reject, low.spam_hold) == (0.4, 0.4)
    assert site_policy({}).spam_reject == 0.9


def test_a_refit_on_decided_comments_reaches_every_policy(
    db, settings, seed_spam_model, django_capture_on_commit_callbacks
):
    settings.SPAM_REJECT, settings.SPAM_HOLD = 0.99, 0.5
    model, texts, labels = seed_spam_model
    assert site_policy().spam_reject == 0.99
    with django_capture_on_commit_callbacks(execute=True):
        row = fitted_threshold_refit(task="spam", model=model, texts=texts, labels=labels)
    assert row.value is not None and row.precision >= 0.98
    assert row.model_version == model.version and row.n_positive == sum(labels)
    assert fitted_threshold_values() == {"spam_reject": row.value}
    assert site_policy().spam_reject == row.value
    # A section's own threshold still wins over the fitted one.
    strict = Section.objects.create(name="Strict", spam_reject=0.999)
    assert section_policy(strict).spam_reject == 0.999
    assert section_policy(Section.objects.named("Kyiv")).spam_reject == row.value


def test_an_unreachable_target_keeps_the_setting(
    db, settings, seed_spam_model, django_capture_on_commit_callbacks
):
    settings.SPAM_REJECT = 0.9
    model, texts, labels = seed_spam_model
    fitted_threshold_target_set(task="spam", target_precision=1.0, actor=None)
    flipped = [1 - label for label in labels]  # people disagree with the model everywhere
    with django_capture_on_commit_callbacks(execute=True):
        row = fitted_threshold_refit(task="spam", model=model, texts=texts, labels=flipped)
    assert row.value is None and row.fitted_at is not None and row.table
    assert site_policy().spam_reject == 0.9


def test_the_target_precision_is_checked(db, editor):
    with pytest.raises(TargetPrecisionError):
        fitted_threshold_target_set(task="spam", target_precision=0.2, actor=editor)
    row = fitted_threshold_target_set(task="spoiler", target_precision=0.95, actor=editor)
    assert (row.threshold, row.target_precision, row.target_set_by) == (
        "spoiler_flag",
        0.95,
        editor,
    )
    assert fitted_threshold_for(task="spam").target_precision == 0.98  # the default, unsaved


def test_a_retrain_fits_the_threshold_with_the_active_model(db, article, make_comment):
    make_comment(
        "I had no idea the finale would end with her death, wow.",
        author_spoiler_tag=True,
        status="approved",
    )
    assert build_training_set("spoiler").sources["reader tags"] == 1
    model = classifier_retrain(task="spoiler")
    row = FittedThreshold.objects.get(threshold="spoiler_flag")
    assert row.model_version == model.version and row.fitted_at is not None
    assert row.value is None  # no decisions yet: the setting applies


def test_editors_set_the_target_on_the_model_page(client, editor):
    client.force_login(editor)
    response = client.post(
        SPOILER_PAGE + "target-precision/", {"target_precision": "0.93"}, follow=True
    )
    html = response.content.decode()
    assert "Target precision set to 0.93" in html
    assert FittedThreshold.objects.get(threshold="spoiler_flag").target_precision == 0.93
    assert 'id="desk-spoiler-reasons"' in html and "says how the story ends" in html
    refused = client.post(
        SPOILER_PAGE + "target-precision/", {"target_precision": "lots"}, follow=True
    )
    assert "Nothing changed" in refused.content.decode()
    assert FittedThreshold.objects.get(threshold="spoiler_flag").target_precision == 0.93


def test_moderators_cannot_set_the_target(client, moderator):
    client.force_login(moderator)
    response = client.post(SPOILER_PAGE + "target-precision/", {"target_precision": "0.6"})
    assert response.status_code == 403
    assert not FittedThreshold.objects.exists()


def test_the_page_shows_precision_and_recall_per_threshold(
    client, editor, seed_spam_model, django_capture_on_commit_callbacks
):
    model, texts, labels = seed_spam_model
    with django_capture_on_commit_callbacks(execute=True):
        row = fitted_threshold_refit(task="spam", model=model, texts=texts, labels=labels)
    client.force_login(editor)
    html = client.get("/admin/moderation/classifiermodel/task/spam/").content.decode()
    assert 'id="desk-threshold-table"' in html
    assert f"{row.value:.3f}" in html
    assert html.count("<tr><td>0.") >= len(row.table)
