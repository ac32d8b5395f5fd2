"""Ablations: the project's training with one option changed, by name.

    python bench/classifier_quality.py --task spoiler --cross-domain --ablate no-signals

Each entry takes the task's TrainingConfig and returns it with one thing changed, so
that a run measures what that one thing is worth on every split.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from moderation.classifier.layout import LENGTH_SIGNALS, SIGNAL_LABELS
from moderation.classifier.spoiler_cues import CUE_LABELS
from moderation.classifier.training import TrainingConfig

# The signal columns by what they look at.
SIGNAL_GROUPS = {
    "links-and-contacts": ("many links", "e-mail address or @handle", "money symbol"),
    "typography": (
        "ALL CAPS",
        "exclamation marks",
        "repeated characters",
        "mixed alphabets in a word",
        "long number",
    ),
    "length": LENGTH_SIGNALS,
}
assert sorted(sum(SIGNAL_GROUPS.values(), ())) == sorted(SIGNAL_LABELS)


def _features(**changes: Any) -> Callable[[TrainingConfig], TrainingConfig]:
    def change(config: TrainingConfig) -> TrainingConfig:
        return dataclasses.replace(config, features={**config.features, **changes})

    return change


def _mute(labels: tuple[str, ...]) -> Callable[[TrainingConfig], TrainingConfig]:
    def change(config: TrainingConfig) -> TrainingConfig:
        muted = tuple(config.features.get("muted_signals", ())) + labels
        return dataclasses.replace(config, features={**config.features, "muted_signals": muted})

    return change


ABLATIONS: dict[str, Callable[[TrainingConfig], TrainingConfig]] = {
    "no-signals": _features(signals=False),
    **{f"no-{group}-signals": _mute(labels) for group, labels in SIGNAL_GROUPS.items()},
    "no-cues": _features(cues=""),
    "with-cues": _features(cues="spoiler"),
    **{f"no-cue-{index}": _mute((label,)) for index, label in enumerate(CUE_LABELS)},
    "no-log-count-ratio": lambda config: dataclasses.replace(config, log_count_ratio=(False,)),
    "log-count-ratio": lambda config: dataclasses.replace(config, log_count_ratio=(True,)),
    "no-char-ngrams": _features(muted_blocks=("characters",)),
    "no-word-ngrams": _features(muted_blocks=("words",)),
    "no-word-pairs": _features(word_ngrams=1),
    "char-3-5": _features(char_ngram_range=(3, 5)),
    "first-500-chars": _features(max_chars=500),
}


def ablated(config: TrainingConfig, name: str) -> TrainingConfig:
    return ABLATIONS[name](config)
