"""Thresholds fitted to a newsroom's own decided comments (no Django).

A probability calibrated on the training data means something else on a newsroom's
comments: other length, other topics, other readers. At each retrain the active
model scores the comments people decided, and the threshold becomes the lowest score
at which the model's calls reach the precision the editors asked for. Below
``MIN_POSITIVES`` people's positive decisions, nothing is fitted: a few comments
cannot tell one threshold from another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_POSITIVES = 20
# The thresholds the model page shows precision and recall for.
GRID = (*(round(0.05 * step, 2) for step in range(2, 20)), 0.97, 0.98, 0.99)


@dataclass(frozen=True)
class ThresholdRow:
    threshold: float
    precision: float | None  # None when the model says yes to none of the comments
    recall: float
    flagged: int


@dataclass(frozen=True)
class ThresholdFit:
    threshold: float | None  # None: the target cannot be reached, or too few examples
    precision: float | None
    recall: float | None
    n_decided: int
    n_positive: int
    table: tuple[ThresholdRow, ...]


def threshold_row(labels: np.ndarray, scores: np.ndarray, threshold: float) -> ThresholdRow:
    said_yes = scores >= threshold
    flagged = int(said_yes.sum())
    correct = int((said_yes & (labels == 1)).sum())
    positives = int((labels == 1).sum())
    return ThresholdRow(
        threshold=threshold,
        precision=correct / flagged if flagged else None,
        recall=correct / positives if positives else 0.0,
        flagged=flagged,
    )


def fit_threshold(
    labels: Sequence[int],
    scores: Sequence[float] | np.ndarray,
    target_precision: float,
    *,
    min_positives: int = MIN_POSITIVES,
) -> ThresholdFit:
    """The lowest threshold whose precision on these comments is at least the target
    (every comment scoring that much or more counted), with the precision and recall
    it gives, and the table over ``GRID``.
    """
    y = np.asarray(labels, dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)
    if y.shape != s.shape:
        raise ValueError(f"{y.shape[0]} labels but {s.shape[0]} scores")
    table = tuple(threshold_row(y, s, threshold) for threshold in GRID)
    n_positive = int(y.sum())
    unfitted = ThresholdFit(None, None, None, int(y.shape[0]), n_positive, table)
    if n_positive < min_positives:
        return unfitted
    order = np.argsort(-s, kind="stable")
    ranked_scores, ranked = s[order], y[order]
    correct = np.cumsum(ranked)
    precision = correct / np.arange(1, ranked.shape[0] + 1)
    # A threshold takes all comments with that score or more: only the last of each
    # run of equal scores is a candidate.
    last_of_score = np.append(ranked_scores[1:] != ranked_scores[:-1], True)
    usable = np.flatnonzero(last_of_score & (precision >= target_precision))
    if usable.size == 0:
        return unfitted
    best = int(usable[-1])
    return ThresholdFit(
        threshold=float(ranked_scores[best]),
        precision=float(precision[best]),
        recall=float(correct[best] / n_positive),
        n_decided=int(y.shape[0]),
        n_positive=n_positive,
        table=table,
    )
