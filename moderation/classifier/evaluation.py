"""Held-out figures for a model, and the rule for replacing the active one."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

from moderation.classifier.errors import TrainingDataError
from moderation.classifier.model import TextClassifier

PR_CURVE_THRESHOLDS = tuple(round(0.05 * step, 2) for step in range(1, 20))
# A challenger may trail the active model by this much on a metric (sampling noise
# on a few hundred held-out comments) and still be promoted.
PROMOTION_TOLERANCE = 0.005
PROMOTION_METRICS = ("f1", "roc_auc")


def _ratio(numerator: int, denominator: int, empty: float) -> float:
    return numerator / denominator if denominator else empty


def evaluate(
    model: TextClassifier,
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    metas: Sequence[Mapping[str, str] | None] | None = None,
    threshold: float = 0.5,
) -> dict[str, Any]:
    """accuracy, precision, recall, f1 (of the positive class at ``threshold``),
    roc_auc, n, tp/fp/tn/fn and ``pr_curve`` ([threshold, precision, recall] at 19
    thresholds). Plain floats and ints, ready for JSON.
    """
    if len(texts) != len(labels):
        raise TrainingDataError(f"{len(texts)} texts but {len(labels)} labels")
    truth = np.asarray(labels, dtype=np.int64)
    if truth.size == 0 or not np.isin(truth, (0, 1)).all():
        raise TrainingDataError("evaluation needs a non-empty set labelled 0 or 1")
    if truth.min() == truth.max():
        raise TrainingDataError("evaluation needs both classes (ROC-AUC is undefined otherwise)")
    scores = model.score_batch(texts, metas)
    return metrics_from_scores(truth, scores, threshold=threshold)


def metrics_from_scores(
    truth: np.ndarray, scores: np.ndarray, *, threshold: float = 0.5
) -> dict[str, Any]:
    positive = truth == 1

    def confusion(cut: float) -> tuple[int, int, int, int]:
        predicted = scores >= cut
        tp = int(np.sum(predicted & positive))
        fp = int(np.sum(predicted & ~positive))
        fn = int(np.sum(~predicted & positive))
        return tp, fp, int(truth.size) - tp - fp - fn, fn

    tp, fp, tn, fn = confusion(threshold)
    precision = _ratio(tp, tp + fp, 0.0)
    recall = _ratio(tp, tp + fn, 0.0)
    curve = []
    for cut in PR_CURVE_THRESHOLDS:
        c_tp, c_fp, _c_tn, c_fn = confusion(cut)
        curve.append([cut, _ratio(c_tp, c_tp + c_fp, 1.0), _ratio(c_tp, c_tp + c_fn, 0.0)])
    return {
        "accuracy": (tp + tn) / truth.size,
        "precision": precision,
        "recall": recall,
        "f1": _ratio(2 * tp, 2 * tp + fp + fn, 0.0),
        "roc_auc": float(roc_auc_score(truth, scores)),
        "n": int(truth.size),
        "tp": tp,
        "fp": fp,
        "tn": tn,
        "fn": fn,
        "threshold": threshold,
        "pr_curve": curve,
    }


def should_promote(challenger: Mapping[str, Any], active: Mapping[str, Any] | None) -> bool:
    """Promote when there is no active model, or when the challenger is not worse:
    its F1 and its ROC-AUC are each at least the active model's minus
    PROMOTION_TOLERANCE. Both dicts must come from ``evaluate`` on the same held-out
    set; a challenger missing a figure (or with NaN) is never promoted.
    """
    for name in PROMOTION_METRICS:
        value = challenger.get(name)
        if not isinstance(value, int | float) or not math.isfinite(value):
            return False
    if active is None:
        return True
    for name in PROMOTION_METRICS:
        incumbent = active.get(name)
        # An incumbent without a usable figure cannot hold the challenger back on it.
        if not isinstance(incumbent, int | float) or not math.isfinite(incumbent):
            continue
        if challenger[name] < incumbent - PROMOTION_TOLERANCE:
            return False
    return True
