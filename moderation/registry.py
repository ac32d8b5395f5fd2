"""The classifier registry: store trained models, serve the active one per task.

Each process keeps the active models it has loaded and checks the active version on
every use (one indexed query), so a promotion reaches every worker without a restart.
"""

import json
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from moderation.classifier import LayoutMismatchError, ModelFileError, TextClassifier
from moderation.models import ClassifierModel

logger = logging.getLogger(__name__)

State = ClassifierModel.State

_loaded: dict[str, TextClassifier] = {}
# The version of each task this process refused, so that a bad file is read and
# logged once, not on every comment.
_refused: dict[str, str] = {}


def active_version(task: str) -> str | None:
    return (
        ClassifierModel.objects.filter(task=task, state=State.ACTIVE)
        .values_list("version", flat=True)
        .first()
    )


def active_versions() -> dict[str, str]:
    """The active version of every task, in one query."""
    return dict(ClassifierModel.objects.filter(state=State.ACTIVE).values_list("task", "version"))


def active_classifier(task: str, version: str | None = None) -> TextClassifier | None:
    """The active model for a task, loaded once per process and per version.

    Pass the version when it was just read (active_versions) to save the query. A model
    this code cannot use (a feature layout of other code, a file that does not verify)
    is refused with one log line, and the process keeps serving the last good model it
    loaded; a process that has none returns None, and scoring waits (NoActiveModel).
    """
    version = version or active_version(task)
    if version is None:
        return None
    cached = _loaded.get(task)
    if cached is not None and cached.version == version:
        return cached
    if _refused.get(task) == version:
        return cached
    row = ClassifierModel.objects.only("artifact", "version").get(task=task, version=version)
    try:
        model = TextClassifier.from_bytes(bytes(row.artifact), expected_sha256=row.version)
    except LayoutMismatchError as error:
        _refused[task] = version
        logger.error(
            "Refusing %s model %s: its feature layout does not match the code's (%s); "
            "stored layout %s, code layout %s; %s",
            task,
            version,
            error.reason,
            json.dumps(error.stored, sort_keys=True),
            json.dumps(error.expected, sort_keys=True),
            _still_serving(cached),
        )
        return cached
    except ModelFileError as error:
        # Keep serving what this process had: a bad file must not stop moderation.
        _refused[task] = version
        logger.error(
            "Refusing %s model %s: its artifact does not verify (%s); %s",
            task,
            version,
            error,
            _still_serving(cached),
        )
        return cached
    _loaded[task] = model
    _refused.pop(task, None)
    return model


def _still_serving(cached: TextClassifier | None) -> str:
    if cached is None:
        return "no model loaded, scoring waits for a usable one (train_default_models)"
    return f"still serving {cached.version}"


def classifier_register(
    *,
    classifier: TextClassifier,
    training_size: int,
    sources: dict[str, int],
    metrics: dict[str, Any],
    compared_with: dict[str, Any] | None = None,
    activate: bool,
    note: str = "",
) -> ClassifierModel:
    """Store a trained model; when activated, the previous active one is retired."""
    artifact = classifier.to_bytes()
    with transaction.atomic():
        if activate:
            ClassifierModel.objects.filter(task=classifier.task, state=State.ACTIVE).update(
                state=State.RETIRED
            )
        row, _ = ClassifierModel.objects.update_or_create(
            task=classifier.task,
            version=classifier.version,
            defaults={
                "state": State.ACTIVE if activate else State.REJECTED,
                "activated_at": timezone.now() if activate else None,
                "sklearn_version": classifier.sklearn_version,
                "training_size": training_size,
                "sources": sources,
                "metrics": metrics,
                "compared_with": compared_with or {},
                "artifact": artifact,
                "artifact_bytes": len(artifact),
                "layout": classifier.layout,
                "pruned_at": None,
                "note": note,
            },
        )
    return row


def classifier_prune(*, keep_challengers: int) -> int:
    """Empty the artifacts of old models; return how many were pruned.

    Per task, kept: the active model, the previous one (the last retired active, to
    roll back to) and the ``keep_challengers`` newest of the others. The rows stay, with
    their figures, so the history reads as before; ``pruned_at`` says the file is gone.
    """
    if keep_challengers < 0:
        raise ValueError("keep_challengers must be 0 or more")
    pruned = 0
    now = timezone.now()
    for task in ClassifierModel.Task.values:
        with transaction.atomic():
            # Locked, so that a promotion in the meantime waits rather than races.
            rows = list(
                ClassifierModel.objects.select_for_update()
                .filter(task=task)
                .only("pk", "state", "created_at", "activated_at", "pruned_at")
                .order_by("-created_at", "-pk")
            )
            kept = {row.pk for row in rows if row.state == State.ACTIVE}
            retired = [row for row in rows if row.state == State.RETIRED]
            if retired:
                kept.add(max(retired, key=lambda r: (r.activated_at or r.created_at, r.pk)).pk)
            others = [row.pk for row in rows if row.pk not in kept]
            kept.update(others[:keep_challengers])
            doomed = [row.pk for row in rows if row.pk not in kept and row.pruned_at is None]
            if doomed:
                pruned += (
                    ClassifierModel.objects.filter(pk__in=doomed)
                    .exclude(state=State.ACTIVE)
                    .update(artifact=b"", artifact_bytes=0, pruned_at=now)
                )
    if pruned:
        logger.info("Pruned the artifacts of %d old models", pruned)
    return pruned
