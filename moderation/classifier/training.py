"""Training: featurize, pick the regularisation by cross-validation, calibrate."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline

from moderation.classifier.errors import ClassifierError, TrainingDataError
from moderation.classifier.features import CommentFeaturizer, Doc
from moderation.classifier.model import TASKS, TextClassifier
from moderation.classifier.weighting import LogCountRatio


@dataclass(frozen=True)
class TrainingConfig:
    features: Mapping[str, Any] = field(default_factory=dict)
    # Inverse regularisation strengths tried by inner cross-validation (ROC-AUC).
    c_grid: tuple[float, ...] = (1.0, 3.0, 10.0, 30.0, 100.0)
    class_weight: str | None = None
    # Scale columns by their naive-Bayes log-count ratio (NBSVM-style) first.
    log_count_ratio: bool = False
    selection_folds: int = 3
    calibration_folds: int = 5


TASK_CONFIGS: dict[str, TrainingConfig] = {
    "spam": TrainingConfig(),
    "spoiler": TrainingConfig(),
}


def _check(texts: Sequence[str], labels: Sequence[int], metas: Sequence[Any] | None) -> np.ndarray:
    if len(texts) != len(labels):
        raise TrainingDataError(f"{len(texts)} texts but {len(labels)} labels")
    if metas is not None and len(metas) != len(texts):
        raise TrainingDataError(f"{len(texts)} texts but {len(metas)} metadata rows")
    if not texts:
        raise TrainingDataError("the training set is empty")
    try:
        y = np.asarray([int(label) for label in labels], dtype=np.int64)
    except (TypeError, ValueError) as error:
        raise TrainingDataError(f"labels must be 0 or 1: {error}") from error
    if not np.isin(y, (0, 1)).all():
        raise TrainingDataError(f"labels must be 0 or 1, found {sorted(set(y.tolist()))}")
    counts = np.bincount(y, minlength=2)
    if counts.min() == 0:
        raise TrainingDataError(f"the training set holds only one class ({int(y[0])})")
    if counts.min() < 2:
        raise TrainingDataError("need at least 2 examples of each class")
    return y


def _choose_c(
    x: sp.csr_matrix, y: np.ndarray, config: TrainingConfig, seed: int, n_signals: int
) -> float:
    if len(config.c_grid) == 1:
        return config.c_grid[0]
    folds = min(config.selection_folds, int(np.bincount(y).min()))
    splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y))
    best_c, best_auc = config.c_grid[0], -1.0
    for c in config.c_grid:
        aucs = []
        for train_index, test_index in splits:
            model = _linear_model(c, config, seed, n_signals).fit(x[train_index], y[train_index])
            aucs.append(roc_auc_score(y[test_index], model.decision_function(x[test_index])))
        if float(np.mean(aucs)) > best_auc + 1e-4:
            best_c, best_auc = c, float(np.mean(aucs))
    return best_c


def _linear_model(
    c: float, config: TrainingConfig, seed: int, n_signals: int
) -> LogisticRegression | Pipeline:
    model = LogisticRegression(
        C=c,
        solver="liblinear",
        # The dual solver: many more columns than rows, and 10x faster here.
        dual=True,
        max_iter=1000,
        class_weight=config.class_weight,
        random_state=seed,
    )
    if not config.log_count_ratio:
        return model
    # Inside the estimator, so that each cross-validation fold fits its own ratios.
    return Pipeline([("ratio", LogCountRatio(n_unscaled=n_signals)), ("linear", model)])


def train(
    task: str,
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    metas: Sequence[Mapping[str, str] | None] | None = None,
    random_state: int = 0,
    config: TrainingConfig | None = None,
) -> TextClassifier:
    """Fit the task's pipeline; raises TrainingDataError for unusable data."""
    if task not in TASKS:
        raise ClassifierError(f"unknown task {task!r}; expected one of {TASKS}")
    config = config or TASK_CONFIGS[task]
    y = _check(texts, labels, metas)
    docs: list[Doc] = list(texts) if metas is None else list(zip(texts, metas, strict=True))
    featurizer = CommentFeaturizer(**config.features)
    x = featurizer.fit_transform(docs)
    c = _choose_c(x, y, config, random_state, featurizer.n_signals)
    folds = min(config.calibration_folds, int(np.bincount(y).min()))
    calibrated = CalibratedClassifierCV(
        _linear_model(c, config, random_state, featurizer.n_signals),
        method="sigmoid",
        cv=StratifiedKFold(folds, shuffle=True, random_state=random_state),
        ensemble=False,
    ).fit(x, y)
    pipeline = Pipeline([("features", featurizer), ("model", calibrated)])
    info = {
        "n_train": int(y.size),
        "n_positive": int(y.sum()),
        "C": float(c),
        "log_count_ratio": config.log_count_ratio,
        "features": {key: _plain(value) for key, value in featurizer.get_params().items()},
    }
    return TextClassifier.from_pipeline(task, pipeline, info)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
