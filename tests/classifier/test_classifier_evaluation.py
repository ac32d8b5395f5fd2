"""Held-out metrics and the promotion rule."""

import json
import math

import pytest
from classifier_examples import HAM, SPAM

from moderation.classifier import (
    PROMOTION_TOLERANCE,
    TrainingDataError,
    describe_comparison,
    evaluate,
    should_promote,
)


def test_it_reports_metrics_ready_for_json(spam_model):
    texts, labels = [*SPAM, *HAM], [1] * len(SPAM) + [0] * len(HAM)
    metrics = evaluate(spam_model, texts, labels)
    assert metrics["n"] == len(texts)
    assert metrics["tp"] + metrics["fp"] + metrics["tn"] + metrics["fn"] == len(texts)
    for key in ("accuracy", "precision", "recall", "f1", "roc_auc"):
        assert 0.0 <= metrics[key] <= 1.0
    assert metrics["f1"] > 0.9  # its own training data: a check of the plumbing only
    assert len(metrics["pr_curve"]) == 19
    thresholds = [point[0] for point in metrics["pr_curve"]]
    assert thresholds == sorted(thresholds)
    assert 0.5 in thresholds
    json.dumps(metrics, allow_nan=False)


def test_it_refuses_to_evaluate_on_one_class(spam_model):
    with pytest.raises(TrainingDataError, match="both classes"):
        evaluate(spam_model, SPAM, [1] * len(SPAM))


ACTIVE = {"f1": 0.90, "roc_auc": 0.95}


def test_it_promotes_the_first_model():
    assert should_promote({"f1": 0.5, "roc_auc": 0.6}, None)


def test_it_promotes_a_challenger_that_is_not_worse():
    assert should_promote({"f1": 0.90, "roc_auc": 0.95}, ACTIVE)
    assert should_promote({"f1": 0.93, "roc_auc": 0.96}, ACTIVE)
    assert should_promote({"f1": 0.90 - PROMOTION_TOLERANCE / 2, "roc_auc": 0.95}, ACTIVE)


@pytest.mark.parametrize(
    "challenger",
    [
        {"f1": 0.88, "roc_auc": 0.99},
        {"f1": 0.99, "roc_auc": 0.93},
        {"f1": 0.80, "roc_auc": 0.80},
        {"f1": math.nan, "roc_auc": 0.99},
        {"roc_auc": 0.99},
    ],
)
def test_it_refuses_a_worse_challenger(challenger):
    assert not should_promote(challenger, ACTIVE)


def _held_out(f1: float, roc_auc: float, *, positives: int, n: int) -> dict:
    return {"f1": f1, "roc_auc": roc_auc, "n": n, "tp": positives - 1, "fn": 1}


def test_a_tie_promotes_the_challenger():
    figures = _held_out(0.9, 0.95, positives=400, n=1000)
    assert should_promote(dict(figures), dict(figures))


def test_on_a_small_held_out_set_one_comment_read_differently_does_not_decide():
    # On 10 held-out positives, one more missed is F1 0.947 -> 0.900: noise, not a
    # worse model. On 500 positives the same gap is 25 comments: a worse model.
    small_active = _held_out(0.947, 0.95, positives=10, n=30)
    assert should_promote(_held_out(0.900, 0.95, positives=10, n=30), small_active)
    large_active = _held_out(0.947, 0.95, positives=500, n=1500)
    assert not should_promote(_held_out(0.900, 0.95, positives=500, n=1500), large_active)


def test_it_refuses_to_compare_figures_from_different_held_out_sets():
    with pytest.raises(ValueError, match="different held-out sets"):
        should_promote(
            _held_out(0.9, 0.95, positives=10, n=30), _held_out(0.9, 0.95, positives=10, n=40)
        )


def test_the_comparison_says_which_figures_it_compared():
    challenger = {"f1": 0.952, "roc_auc": 0.97, "n": 84, "tp": 39, "fn": 1}
    active = {"f1": 0.96, "roc_auc": 0.99, "n": 84, "tp": 40, "fn": 0}
    assert describe_comparison(challenger, active, promoted=False) == (
        "Worse than the active model on the same 84 held-out texts: F1 0.952 against the "
        "active model's 0.960; ROC-AUC 0.970 against the active model's 0.990 "
        "(it may trail by up to 0.025)."
    )
    assert describe_comparison(challenger, None, promoted=True) == (
        "No active model to compare with: F1 0.952, ROC-AUC 0.970 on 84 held-out texts."
    )
