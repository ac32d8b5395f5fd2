"""Held-out metrics and the promotion rule."""

import json
import math

import pytest
from classifier_examples import HAM, SPAM

from moderation.classifier import PROMOTION_TOLERANCE, TrainingDataError, evaluate, should_promote


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
