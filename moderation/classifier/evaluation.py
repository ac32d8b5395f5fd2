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


def _number(value: Any) -> float | None:
    """A finite number, or None for anything else (missing, NaN, a bool)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def promotion_tolerance(metrics: Mapping[str, Any]) -> float:
    """How far a challenger may trail the active model on a figure and still replace it.

    PROMOTION_TOLERANCE, or one held-out positive's worth (1 / positives) when the set is
    small: on 20 positives one comment read differently moves F1 and ROC-AUC by about
    0.05, so a smaller gap says nothing about which model is better.
    """
    tp, fn = _number(metrics.get("tp")), _number(metrics.get("fn"))
    if tp is None or fn is None or tp + fn <= 0:
        return PROMOTION_TOLERANCE
    return max(PROMOTION_TOLERANCE, 1.0 / (tp + fn))


def should_promote(challenger: Mapping[str, Any], active: Mapping[str, Any] | None) -> bool:
    """Promote when there is no active model, or when the challenger is not worse:
    its F1 and its ROC-AUC are each at least the active model's minus
    ``promotion_tolerance``. A tie promotes the challenger (it learnt from more data).
    Both dicts must come from ``evaluate`` on the same held-out set (a different ``n``
    is a ValueError); a challenger missing a figure (or with NaN) is never promoted.
    """
    figures = {name: _number(challenger.get(name)) for name in PROMOTION_METRICS}
    if any(value is None for value in figures.values()):
        return False
    if active is None:
        return True
    sizes = _number(challenger.get("n")), _number(active.get("n"))
    if None not in sizes and sizes[0] != sizes[1]:
        raise ValueError(f"compared on different held-out sets ({sizes[0]} and {sizes[1]} texts)")
    tolerance = promotion_tolerance(challenger)
    for name, value in figures.items():
        incumbent = _number(active.get(name))
        # An incumbent without a usable figure cannot hold the challenger back on it.
        if incumbent is not None and value is not None and value < incumbent - tolerance:
            return False
    return True


def describe_comparison(
    challenger: Mapping[str, Any], active: Mapping[str, Any] | None, *, promoted: bool
) -> str:
    """The comparison in words, naming the figures compared and the texts they come from."""
    names = {"f1": "F1", "roc_auc": "ROC-AUC"}

    def figure(metrics: Mapping[str, Any], name: str) -> str:
        value = _number(metrics.get(name))
        return "–" if value is None else f"{value:.3f}"

    size = _number(challenger.get("n"))
    texts = "the same held-out texts" if size is None else f"the same {int(size)} held-out texts"
    if active is None:
        figures = ", ".join(f"{names[n]} {figure(challenger, n)}" for n in PROMOTION_METRICS)
        return f"No active model to compare with: {figures} on {int(size or 0)} held-out texts."
    figures = "; ".join(
        f"{names[n]} {figure(challenger, n)} against the active model's {figure(active, n)}"
        for n in PROMOTION_METRICS
    )
    verdict = "Not worse than" if promoted else "Worse than"
    return (
        f"{verdict} the active model on {texts}: {figures} "
        f"(it may trail by up to {promotion_tolerance(challenger):.3f})."
    )
