"""Train challengers from the seed corpus, imported data and people's decisions.

A challenger is promoted only when, on the same held-out split, it is not worse than
the active model (moderation.classifier.should_promote); both figures are recorded.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from moderation import classifier, registry
from moderation.calibration.services import fitted_threshold_refit
from moderation.classifier.splitting import hash_position
from moderation.models import ClassifierModel
from moderation.policy import FITTED_THRESHOLDS
from moderation.selectors import comment_list_labelled, comment_list_reader_tagged_spoilers

logger = logging.getLogger(__name__)

SEED_DIR = Path(__file__).resolve().parent / "seed"
HELD_OUT_SHARE = 0.2


@dataclass
class LabelledSet:
    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    sources: Counter[str] = field(default_factory=Counter)

    def add(self, source: str, texts: list[str], labels: list[int]) -> None:
        """Append one source's examples; texts and labels must pair up one to one."""
        if len(texts) != len(labels):
            raise classifier.TrainingDataError(
                f"{source}: {len(texts)} texts but {len(labels)} labels"
            )
        self.texts.extend(texts)
        self.labels.extend(labels)
        self.sources[source] += len(texts)

    def extend(self, other: "LabelledSet") -> None:
        """Append another set through ``add``, source by source; examples its sources
        do not account for are counted as "extra".
        """
        if len(other.texts) != len(other.labels):
            raise classifier.TrainingDataError(
                f"extra examples: {len(other.texts)} texts but {len(other.labels)} labels"
            )
        start = 0
        for source, count in other.sources.items():
            end = min(start + count, len(other.texts))
            self.add(source, other.texts[start:end], other.labels[start:end])
            start = end
        if start < len(other.texts):
            self.add("extra", other.texts[start:], other.labels[start:])


def _seed_file(name: str) -> tuple[list[str], list[int]]:
    return classifier.read_labelled_csv(
        SEED_DIR / f"{name}.csv", text_col="text", label_col="label", positive="1"
    )


def seed_examples(task: str) -> tuple[list[str], list[int]]:
    texts, labels = _seed_file(task)
    if task == "abuse":
        # The other seeds' news comments hold no abuse (spoilers and spam included):
        # hundreds of clean examples in the style of the site, without which a model
        # of the abuse seed alone called one clean comment in eleven abusive.
        clean = [text for text, label in zip(*_seed_file("spam"), strict=True) if not label]
        clean += _seed_file("spoiler")[0]
        texts, labels = texts + clean, labels + [0] * len(clean)
    return texts, labels


def decision_examples(task: str) -> tuple[list[str], list[int]]:
    """People's decisions as labels, each task from its own kind of decision.

    Spam: status decisions, spam (1) against approved (0); a rejection says nothing
    about spam either way. Spoiler: the flag as a person set or cleared it. Abuse:
    rejections for abuse against approved (moderation.abuse.ABUSE_REASONS).
    """
    labelled = comment_list_labelled(task=task)
    if task == "abuse":
        rows = labelled.values_list("body", "status")
        return [body for body, _ in rows], [int(status == "rejected") for _, status in rows]
    if task == "spam":
        rows = labelled.filter(status__in=["spam", "approved"]).values_list("body", "status")
        return [body for body, _ in rows], [int(status == "spam") for _, status in rows]
    flags = labelled.values_list("body", "is_spoiler")
    return [body for body, _ in flags], [int(flag) for _, flag in flags]


def build_training_set(task: str, extra: LabelledSet | None = None) -> LabelledSet:
    data = LabelledSet()
    data.add("seed", *seed_examples(task))
    if extra is not None:
        data.extend(extra)
    data.add("decisions", *decision_examples(task))
    tagged = reader_tag_examples() if task == "spoiler" else ([], [])
    if tagged[0]:
        data.add("reader tags", *tagged)
    return data


def reader_tag_examples() -> tuple[list[str], list[int]]:
    """Spoilers by the readers' own checkbox on published comments no person reviewed:
    a reader who hides their own comment says it tells something. No negatives: an
    unticked box is more often forgotten than meant.
    """
    bodies = list(comment_list_reader_tagged_spoilers().values_list("body", flat=True))
    return bodies, [1] * len(bodies)


def split_held_out(data: LabelledSet) -> tuple[LabelledSet, LabelledSet]:
    """Train and held-out parts, each text on the side its own hash gives it
    (classifier.held_out_flags): a text never changes sides as data grows, so the
    active model is never measured on texts it trained on.
    """
    train, held_out = LabelledSet(), LabelledSet()
    flags = classifier.held_out_flags(data.texts, data.labels, HELD_OUT_SHARE)
    for text, label, held in zip(data.texts, data.labels, flags, strict=True):
        target = held_out if held else train
        target.texts.append(text)
        target.labels.append(label)
    train.sources = data.sources
    return train, held_out


def classifier_retrain(
    *, task: str, extra: LabelledSet | None = None, force: bool = False, shadow: bool = False
) -> ClassifierModel:
    """Train a challenger, compare it with the active model, promote it if not worse.

    With ``shadow`` the challenger is put in shadow instead, whatever its figures: it
    scores live comments beside the active model until an editor promotes or discards it.
    Refused before any training when the task has a shadow already (ShadowStateConflict).
    """
    if force and shadow:
        raise ValueError("A challenger is either forced into service or put in shadow.")
    if shadow:
        registry.classifier_shadow_ensure_free(task=task)
    data = build_training_set(task, extra)
    if len(set(data.labels)) < 2:
        raise classifier.TrainingDataError(f"The {task} training set holds only one class.")
    train_part, held_out = split_held_out(data)
    challenger = classifier.train(task, train_part.texts, train_part.labels)
    challenger_metrics = classifier.evaluate(challenger, held_out.texts, held_out.labels)
    active_version = registry.active_version(task)
    active = registry.active_classifier(task, active_version)
    if active is not None and active.version != active_version:
        # The active model is one this code refuses (the process still serves an older
        # one): it is no yardstick, and must not stay active for want of a rival.
        active = None
    active_metrics = (
        classifier.evaluate(active, held_out.texts, held_out.labels) if active else None
    )
    not_worse = classifier.should_promote(challenger_metrics, active_metrics)
    promote = (force or not_worse) and not shadow
    note = classifier.describe_comparison(challenger_metrics, active_metrics, promoted=not_worse)
    if shadow:
        note = f"Put in shadow to be compared on live comments. {note}"
    row = registry.classifier_register(
        classifier=challenger,
        training_size=len(train_part.texts),
        sources=dict(data.sources),
        metrics=challenger_metrics,
        compared_with={"version": active.version, "metrics": active_metrics} if active else {},
        activate=promote,
        shadow=shadow,
        note=note if not_worse or not force else f"Promoted on request. {note}",
    )
    serving = challenger if promote else active
    # Only the tasks with a threshold editors let the newsroom's decisions fit (not yet
    # abuse, whose labels are too few early on).
    if serving is not None and task in FITTED_THRESHOLDS:
        _refit_threshold(task, serving)
    logger.info(
        "Trained %s challenger %s on %d texts: %s",
        task,
        challenger.version[:12],
        len(train_part.texts),
        row.get_state_display().lower(),
    )
    return row


def _refit_threshold(task: str, model: "classifier.TextClassifier") -> None:
    """Re-fit the task's policy threshold on people's decisions that the model did not
    train on (the held-out side of each text's hash).
    """
    texts, labels = decision_examples(task)
    held = [
        index
        for index, text in enumerate(texts)
        if hash_position(classifier.duplicate_key(text)) < HELD_OUT_SHARE
    ]
    fitted_threshold_refit(
        task=task,
        model=model,
        texts=[texts[index] for index in held],
        labels=[labels[index] for index in held],
    )
