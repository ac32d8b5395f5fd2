"""Spam, spoiler and abuse classifiers for reader comments: a pure module (no Django).

Train with ``train``, score with ``TextClassifier.score`` / ``score_batch``,
explain with ``TextClassifier.explain``, store with ``to_bytes`` / ``from_bytes``.

The names below are imported on first use, so that ``moderation.classifier.layout``
(plain Python, asked by the web process for readiness) can be read without loading
numpy and scikit-learn, which take seconds.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from moderation.classifier.csvdata import read_labelled_csv
    from moderation.classifier.errors import (
        ClassifierError,
        LayoutMismatchError,
        ModelFileError,
        TrainingDataError,
    )
    from moderation.classifier.evaluation import (
        PROMOTION_TOLERANCE,
        describe_comparison,
        evaluate,
        promotion_tolerance,
        should_promote,
    )
    from moderation.classifier.model import TASKS, Contribution, TextClassifier
    from moderation.classifier.splitting import held_out_flags
    from moderation.classifier.text import duplicate_key, normalise_text
    from moderation.classifier.training import TASK_CONFIGS, TrainingConfig, train

_HOMES = {
    "read_labelled_csv": "csvdata",
    "ClassifierError": "errors",
    "LayoutMismatchError": "errors",
    "ModelFileError": "errors",
    "TrainingDataError": "errors",
    "PROMOTION_TOLERANCE": "evaluation",
    "describe_comparison": "evaluation",
    "evaluate": "evaluation",
    "promotion_tolerance": "evaluation",
    "should_promote": "evaluation",
    "TASKS": "model",
    "Contribution": "model",
    "TextClassifier": "model",
    "held_out_flags": "splitting",
    "duplicate_key": "text",
    "normalise_text": "text",
    "TASK_CONFIGS": "training",
    "TrainingConfig": "training",
    "train": "training",
}

__all__ = [
    "PROMOTION_TOLERANCE",
    "TASKS",
    "TASK_CONFIGS",
    "ClassifierError",
    "Contribution",
    "LayoutMismatchError",
    "ModelFileError",
    "TextClassifier",
    "TrainingConfig",
    "TrainingDataError",
    "describe_comparison",
    "duplicate_key",
    "evaluate",
    "held_out_flags",
    "normalise_text",
    "promotion_tolerance",
    "read_labelled_csv",
    "should_promote",
    "train",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value
