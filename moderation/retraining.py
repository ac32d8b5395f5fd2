"""Train challengers from the seed corpus, imported data and people's decisions.

A challenger is promoted only when, on the same held-out split, it is not worse than
the active model (moderation.classifier.should_promote); both figures are recorded.
"""

import logging
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from moderation import classifier, registry
from moderation.models import ClassifierModel
from moderation.selectors import comment_list_labelled

logger = logging.getLogger(__name__)

SEED_DIR = Path(__file__).resolve().parent / "seed"
HELD_OUT_SHARE = 0.2
SPLIT_SEED = 20240424


@dataclass
class LabelledSet:
    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    sources: Counter[str] = field(default_factory=Counter)

    def add(self, source: str, texts: list[str], labels: list[int]) -> None:
        self.texts.extend(texts)
        self.labels.extend(labels)
        self.sources[source] += len(texts)


def seed_examples(task: str) -> tuple[list[str], list[int]]:
    return classifier.read_labelled_csv(
        SEED_DIR / f"{task}.csv", text_col="text", label_col="label", positive="1"
    )


def decision_examples(task: str) -> tuple[list[str], list[int]]:
    """People's decisions as labels, each task from its own kind of decision.

    Spam: status decisions, spam (1) against approved (0); a rejection says nothing
    about spam either way. Spoiler: the flag as a person set or cleared it.
    """
    labelled = comment_list_labelled(task=task)
    if task == "spam":
        rows = labelled.filter(status__in=["spam", "approved"]).values_list("body", "status")
        return [body for body, _ in rows], [int(status == "spam") for _, status in rows]
    flags = labelled.values_list("body", "is_spoiler")
    return [body for body, _ in flags], [int(flag) for _, flag in flags]


def build_training_set(task: str, extra: LabelledSet | None = None) -> LabelledSet:
    data = LabelledSet()
    data.add("seed", *seed_examples(task))
    if extra is not None:
        for source, count in extra.sources.items():
            data.sources[source] += count
        data.texts.extend(extra.texts)
        data.labels.extend(extra.labels)
    data.add("decisions", *decision_examples(task))
    return data


def split_held_out(data: LabelledSet) -> tuple[LabelledSet, LabelledSet]:
    """A stratified, reproducible split, so challenger and active meet the same texts."""
    train, held_out = LabelledSet(), LabelledSet()
    rng = random.Random(SPLIT_SEED)
    for label in (0, 1):
        idx = [i for i, y in enumerate(data.labels) if y == label]
        rng.shuffle(idx)
        cut = max(1, round(len(idx) * HELD_OUT_SHARE))
        for position, i in enumerate(idx):
            target = held_out if position < cut else train
            target.texts.append(data.texts[i])
            target.labels.append(label)
    train.sources = data.sources
    return train, held_out


def classifier_retrain(
    *, task: str, extra: LabelledSet | None = None, force: bool = False
) -> ClassifierModel:
    """Train a challenger, compare it with the active model, promote it if not worse."""
    data = build_training_set(task, extra)
    if len(set(data.labels)) < 2:
        raise classifier.TrainingDataError(f"The {task} training set holds only one class.")
    train_part, held_out = split_held_out(data)
    challenger = classifier.train(task, train_part.texts, train_part.labels)
    challenger_metrics = classifier.evaluate(challenger, held_out.texts, held_out.labels)
    active = registry.active_classifier(task)
    active_metrics = (
        classifier.evaluate(active, held_out.texts, held_out.labels) if active else None
    )
    promote = force or classifier.should_promote(challenger_metrics, active_metrics)
    row = registry.classifier_register(
        classifier=challenger,
        training_size=len(train_part.texts),
        sources=dict(data.sources),
        metrics=challenger_metrics,
        compared_with={"version": active.version, "metrics": active_metrics} if active else {},
        activate=promote,
        note="" if promote else "Worse than the active model on the same held-out split.",
    )
    logger.info(
        "Trained %s challenger %s on %d texts: %s",
        task,
        challenger.version[:12],
        len(train_part.texts),
        "promoted" if promote else "rejected",
    )
    return row
