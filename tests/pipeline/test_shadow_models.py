"""Shadow models score live comments beside the active ones; only the active ones act."""

import hashlib
import logging
from collections import Counter
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from moderation import classifier, registry
from moderation.classifier import TextClassifier, artifacts
from moderation.comment_scoring import comment_signals, score_comment, sweep_unscored_comments
from moderation.models import ClassifierModel, Comment, ShadowScore
from moderation.retraining import classifier_retrain, seed_examples
from moderation.tasks import retrain_models

CLEAN = [
    "The bridge looks better than before the repairs, well done to the council.",
    "I walked along the river this morning and the new lights are lovely.",
    "Thanks for covering the school board meeting, it was useful to read.",
]
SPAMMY = [
    "CHEAP pills!!! Buy now at http://pills.example http://deal.example click here",
    "WIN $$$ FREE CASH now!!! visit http://win.example http://cash.example",
]


# Each test starts as a worker that has loaded nothing yet.
pytestmark = pytest.mark.usefixtures("fresh_worker")


@pytest.fixture
def classifier_calls(monkeypatch) -> Counter[tuple[str, str]]:
    """Counts each real classifier call, by method and model version."""
    calls: Counter[tuple[str, str]] = Counter()
    for method in ("score", "score_batch"):
        real = getattr(TextClassifier, method)

        def counting(self, *args, _real=real, _method=method, **kwargs):
            calls[(_method, self.version)] += 1
            return _real(self, *args, **kwargs)

        monkeypatch.setattr(TextClassifier, method, counting)
    return calls


def test_a_live_comment_is_scored_by_the_shadow_but_only_the_active_model_acts(
    make_comment, spam_shadow, contrary_spam_model, classifier_calls
):
    comment = make_comment(CLEAN[0])
    score_comment(comment.pk)
    comment.refresh_from_db()
    row = ShadowScore.objects.get(comment=comment)
    assert comment.status == "approved"
    assert row.model == spam_shadow
    assert row.would_status == "spam" and row.says_yes
    assert row.active_status == "approved" and not row.active_says_yes
    assert row.active_score == comment.spam_score
    assert classifier_calls[("score", spam_shadow.version)] == 1
    assert classifier_calls[("score_batch", spam_shadow.version)] == 0
    expected = contrary_spam_model.score(comment.body, comment_signals(comment))
    assert row.score == pytest.approx(expected)


def test_a_batch_costs_one_extra_classifier_call_for_the_shadow(
    make_comment, spam_shadow, active_models, classifier_calls
):
    comments = [make_comment(body) for body in CLEAN + SPAMMY]
    result = sweep_unscored_comments(older_than=timedelta(0))
    assert result.scored == 5 and result.batches == 1
    assert classifier_calls[("score_batch", spam_shadow.version)] == 1
    assert classifier_calls[("score", spam_shadow.version)] == 0
    assert classifier_calls[("score_batch", active_models["spam"].version)] == 1
    assert classifier_calls[("score_batch", active_models["spoiler"].version)] == 1
    rows = {r.comment_id: r for r in ShadowScore.objects.all()}
    assert set(rows) == {c.pk for c in comments}
    for comment in Comment.objects.filter(pk__in=rows):
        assert comment.status == rows[comment.pk].active_status
    assert [rows[c.pk].would_status for c in comments[:3]] == ["spam"] * 3
    assert [Comment.objects.get(pk=c.pk).status for c in comments[:3]] == ["approved"] * 3


def test_a_rerun_stores_no_second_row(make_comment, spam_shadow):
    comment = make_comment(CLEAN[1])
    score_comment(comment.pk)
    Comment.objects.filter(pk=comment.pk).update(scored_at=None)
    score_comment(comment.pk)
    assert ShadowScore.objects.filter(comment=comment).count() == 1


def _stale_shadow(model: TextClassifier) -> ClassifierModel:
    older = {**model.layout, "signals": model.layout["signals"][:-1]}
    data = artifacts.dump("spam", model.pipeline, model.info, older)
    return ClassifierModel.objects.create(
        task="spam",
        version=hashlib.sha256(data).hexdigest(),
        state="shadow",
        sklearn_version=model.sklearn_version,
        training_size=1,
        artifact=data,
        artifact_bytes=len(data),
        layout=older,
    )


def test_a_shadow_of_a_stale_layout_is_skipped_with_one_log_line(
    make_comment, active_models, contrary_spam_model, caplog
):
    stale = _stale_shadow(contrary_spam_model)
    first, second = make_comment(CLEAN[0]), make_comment(SPAMMY[0])
    with caplog.at_level(logging.ERROR, logger="moderation.registry"):
        score_comment(first.pk)
        score_comment(second.pk)
    [line] = [r.getMessage() for r in caplog.records if r.name == "moderation.registry"]
    assert line.startswith(f"Skipping spam shadow model {stale.version}: its feature layout")
    assert "live scoring goes on with the active model alone" in line
    assert Comment.objects.get(pk=first.pk).status == "approved"
    assert Comment.objects.get(pk=second.pk).scored_at is not None
    assert not ShadowScore.objects.exists()


def test_a_shadow_whose_file_does_not_verify_is_skipped(make_comment, spam_shadow, caplog):
    ClassifierModel.objects.filter(pk=spam_shadow.pk).update(artifact=b"not a model")
    comment = make_comment(CLEAN[2])
    with caplog.at_level(logging.ERROR, logger="moderation.registry"):
        score_comment(comment.pk)
    assert "its artifact does not verify" in caplog.records[0].getMessage()
    assert Comment.objects.get(pk=comment.pk).status == "approved"
    assert not ShadowScore.objects.exists()


# --- putting a model in shadow, promoting and discarding it --------------------------


def _registry_states() -> list[tuple[str, str, str]]:
    return sorted(ClassifierModel.objects.values_list("task", "version", "state"))


def test_retraining_into_shadow_keeps_the_active_model_acting(active_models):
    row = classifier_retrain(task="spam", shadow=True)
    assert row.state == "shadow" and row.note.startswith("Put in shadow")
    assert registry.active_version("spam") == active_models["spam"].version
    assert set(registry.shadow_classifiers()) == {"spam"}


def test_a_second_shadow_for_a_task_is_refused_before_training(spam_shadow, monkeypatch):
    before = _registry_states()
    monkeypatch.setattr(classifier, "train", lambda *a, **k: pytest.fail("trained anyway"))
    with pytest.raises(registry.ShadowStateConflict, match="in shadow already") as refused:
        classifier_retrain(task="spam", shadow=True)
    assert refused.value.model == spam_shadow
    assert _registry_states() == before


def test_the_database_allows_one_shadow_per_task(spam_shadow):
    with pytest.raises(IntegrityError), transaction.atomic():
        ClassifierModel.objects.filter(task="spam", state="active").update(state="shadow")


def test_the_retrain_task_reports_a_running_shadow_and_trains_nothing(spam_shadow):
    outcome = retrain_models("spam", shadow=True)
    assert (
        outcome["spam"].startswith("skipped: The spam model")
        and "shadow already" in outcome["spam"]
    )
    assert ClassifierModel.objects.filter(task="spam").count() == 2


def test_a_spoiler_model_cannot_shadow_the_spam_model(active_models):
    spoiler = ClassifierModel.objects.get(task="spoiler", state="active")
    ClassifierModel.objects.filter(pk=spoiler.pk).update(state="retired")
    before = _registry_states()
    with pytest.raises(registry.ShadowTaskMismatch, match="is a spoiler model"):
        registry.classifier_shadow_start(model_id=spoiler.pk, task="spam")
    assert _registry_states() == before


def test_promoting_makes_the_shadow_act_and_retires_the_active_model(
    make_comment, spam_shadow, active_models, editor
):
    old = ClassifierModel.objects.get(task="spam", state="active")
    promoted = registry.classifier_shadow_promote(
        model_id=spam_shadow.pk, task="spam", actor=editor
    )
    assert promoted.state == "active" and promoted.activated_at is not None
    assert f"Promoted from shadow by {editor.username}" in promoted.note
    assert ClassifierModel.objects.get(pk=old.pk).state == "retired"
    assert registry.shadow_classifiers() == {}
    comment = make_comment(CLEAN[0])
    score_comment(comment.pk)
    comment.refresh_from_db()
    assert comment.spam_model_version == spam_shadow.version
    assert comment.status == "spam", "the contrary model now acts"
    assert not ShadowScore.objects.filter(comment=comment).exists()


def test_discarding_stops_the_shadow_and_keeps_its_scores(make_comment, spam_shadow, editor):
    score_comment(make_comment(CLEAN[0]).pk)
    discarded = registry.classifier_shadow_discard(
        model_id=spam_shadow.pk, task="spam", actor=editor
    )
    assert discarded.state == "rejected"
    score_comment(make_comment(CLEAN[1]).pk)
    assert ShadowScore.objects.filter(model=spam_shadow).count() == 1


@pytest.mark.parametrize("action", ["promote", "discard"])
def test_only_a_model_in_shadow_can_be_promoted_or_discarded(active_models, action):
    retired = registry.classifier_register(
        classifier=active_models["spam"], training_size=1, sources={}, metrics={}, activate=False
    )
    before = _registry_states()
    service = {
        "promote": registry.classifier_shadow_promote,
        "discard": registry.classifier_shadow_discard,
    }[action]
    with pytest.raises(registry.ShadowStateConflict, match="Only a model in shadow"):
        service(model_id=retired.pk, task="spam")
    assert _registry_states() == before


def test_a_shadow_cannot_be_promoted_onto_another_task(spam_shadow):
    before = _registry_states()
    with pytest.raises(registry.ShadowTaskMismatch, match="is a spam model"):
        registry.classifier_shadow_promote(model_id=spam_shadow.pk, task="spoiler")
    assert _registry_states() == before


def test_pruning_keeps_the_shadows_file(spam_shadow):
    registry.classifier_prune(keep_challengers=0)
    assert ClassifierModel.objects.get(pk=spam_shadow.pk).pruned_at is None


def test_the_constraint_refuses_a_shadow_that_slips_past_the_check(
    spam_shadow, active_models, monkeypatch
):
    """Two challengers finishing at once: the database's one-shadow rule is the last word."""
    texts, labels = seed_examples("spam")
    other = classifier.train("spam", texts[::2], labels[::2])
    monkeypatch.setattr(registry, "_refuse_second_shadow", lambda *a, **k: None)
    before = _registry_states()
    with pytest.raises(registry.ShadowStateConflict, match="went in shadow meanwhile") as refused:
        registry.classifier_register(
            classifier=other, training_size=1, sources={}, metrics={}, activate=False, shadow=True
        )
    assert refused.value.model == spam_shadow
    assert _registry_states() == before
