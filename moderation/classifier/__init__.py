"""Spam and spoiler classifiers for reader comments: a pure module (no Django).

Train with ``train``, score with ``TextClassifier.score`` / ``score_batch``,
explain with ``TextClassifier.explain``, store with ``to_bytes`` / ``from_bytes``.
"""

from moderation.classifier.csvdata import read_labelled_csv
from moderation.classifier.errors import ClassifierError, ModelFileError, TrainingDataError
from moderation.classifier.evaluation import PROMOTION_TOLERANCE, evaluate, should_promote
from moderation.classifier.model import TASKS, Contribution, TextClassifier
from moderation.classifier.text import normalise_text
from moderation.classifier.training import TASK_CONFIGS, TrainingConfig, train

__all__ = [
    "PROMOTION_TOLERANCE",
    "TASKS",
    "TASK_CONFIGS",
    "ClassifierError",
    "Contribution",
    "ModelFileError",
    "TextClassifier",
    "TrainingConfig",
    "TrainingDataError",
    "evaluate",
    "normalise_text",
    "read_labelled_csv",
    "should_promote",
    "train",
]
