"""The classifier registry: store trained models, serve the active one per task.

Each process keeps the active models it has loaded and checks the active version on
every use (one indexed query), so a promotion reaches every worker without a restart.
A shadow model (at most one per task) is served the same way beside the active one;
it never acts, and one that cannot be loaded is skipped, never in the way of scoring.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from moderation.classifier.errors import LayoutMismatchError, ModelFileError
from moderation.models import ClassifierModel

if TYPE_CHECKING:
    # Loaded on first use: the web process changes registry states (the model page, the
    # API) without loading numpy and scikit-learn.
    from moderation.classifier import TextClassifier

logger = logging.getLogger(__name__)

State = ClassifierModel.State

_loaded: dict[str, TextClassifier] = {}
# The version of each task this process refused, so that a bad file is read and
# logged once, not on every comment.
_refused: dict[str, str] = {}
# The same for shadow models: the one loaded per task, and the version refused.
_shadow_loaded: dict[str, TextClassifier] = {}
_shadow_refused: dict[str, str] = {}


class ShadowError(ValueError):
    """A shadow request that cannot be carried out; nothing was written."""


class ShadowTaskMismatch(ShadowError):
    """The model belongs to another task than the one named."""


class ShadowStateConflict(ShadowError):
    """The registry is not in the state the request needs (see ``model``: as it is now)."""

    def __init__(self, message: str, model: ClassifierModel) -> None:
        super().__init__(message)
        self.model = model


@dataclass(frozen=True)
class ShadowModel:
    """A loaded shadow model and the registry row its scores are stored against."""

    model_id: int
    classifier: TextClassifier


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
    try:
        model = _load(task, version)
    except (LayoutMismatchError, ModelFileError) as error:
        # Keep serving what this process had: a bad file must not stop moderation.
        _refused[task] = version
        logger.error(
            "Refusing %s model %s: %s; %s",
            task,
            version,
            _why_refused(error),
            _still_serving(cached),
        )
        return cached
    _loaded[task] = model
    _refused.pop(task, None)
    return model


def _load(task: str, version: str) -> TextClassifier:
    """The stored model, verified; raises LayoutMismatchError or ModelFileError.

    A model this process already loaded as the task's shadow (just promoted) is reused.
    """
    shadow = _shadow_loaded.get(task)
    if shadow is not None and shadow.version == version:
        return shadow
    from moderation.classifier import TextClassifier

    row = ClassifierModel.objects.only("artifact", "version").get(task=task, version=version)
    return TextClassifier.from_bytes(
        bytes(row.artifact), expected_sha256=row.version, expected_task=task
    )


def _why_refused(error: LayoutMismatchError | ModelFileError) -> str:
    if isinstance(error, LayoutMismatchError):
        return (
            f"its feature layout does not match the code's ({error.reason}); "
            f"stored layout {json.dumps(error.stored, sort_keys=True)}, "
            f"code layout {json.dumps(error.expected, sort_keys=True)}"
        )
    return f"its artifact does not verify ({error})"


def shadow_classifiers() -> dict[str, ShadowModel]:
    """The shadow model of each task that has one, loaded once per process and version.

    One query. A shadow this code cannot use (stale layout, a file that does not verify)
    is left out with one log line: live scoring goes on with the active model alone.
    """
    shadows: dict[str, ShadowModel] = {}
    rows = ClassifierModel.objects.filter(state=State.SHADOW).values_list("pk", "task", "version")
    for pk, task, version in rows:
        cached = _shadow_loaded.get(task)
        if cached is None or cached.version != version:
            if _shadow_refused.get(task) == version:
                continue
            try:
                cached = _load(task, version)
            except (LayoutMismatchError, ModelFileError) as error:
                _shadow_refused[task] = version
                logger.error(
                    "Skipping %s shadow model %s: %s; live scoring goes on with the active "
                    "model alone",
                    task,
                    version,
                    _why_refused(error),
                )
                continue
            _shadow_loaded[task] = cached
        shadows[task] = ShadowModel(model_id=pk, classifier=cached)
    return shadows


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
    shadow: bool = False,
    note: str = "",
) -> ClassifierModel:
    """Store a trained model; when activated, the previous active one is retired.

    With ``shadow`` it is stored as the task's shadow instead (see ShadowStateConflict
    for when that is refused: another shadow runs, or it is the active model itself).
    """
    if activate and shadow:
        raise ValueError("A model is registered either active or in shadow, not both.")
    artifact = classifier.to_bytes()
    state = State.ACTIVE if activate else State.SHADOW if shadow else State.REJECTED
    try:
        with transaction.atomic():
            if shadow:
                rows = _lock_task(classifier.task)
                _refuse_second_shadow(rows, classifier.task, keep_version=classifier.version)
                same = next((r for r in rows if r.version == classifier.version), None)
                if same is not None and same.state == State.ACTIVE:
                    raise ShadowStateConflict(
                        f"This {classifier.task} model is active already; nothing to shadow.",
                        same,
                    )
            if activate:
                ClassifierModel.objects.filter(task=classifier.task, state=State.ACTIVE).update(
                    state=State.RETIRED
                )
            row, _ = ClassifierModel.objects.update_or_create(
                task=classifier.task,
                version=classifier.version,
                defaults={
                    "state": state,
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
    except IntegrityError:
        # Another challenger went in shadow between our lock and our insert.
        running = ClassifierModel.objects.filter(task=classifier.task, state=State.SHADOW)
        if not shadow or (current := running.defer("artifact").first()) is None:
            raise
        raise _shadow_running(current, meanwhile=True) from None
    return row


def _lock_task(task: str) -> list[ClassifierModel]:
    """Lock every registry row of a task, so that changes of state on it run one at a time."""
    return list(
        ClassifierModel.objects.select_for_update()
        .filter(task=task)
        .defer("artifact")
        .order_by("pk")
    )


def _refuse_second_shadow(rows: list[ClassifierModel], task: str, *, keep_version: str) -> None:
    running = next((r for r in rows if r.state == State.SHADOW and r.version != keep_version), None)
    if running is not None:
        raise _shadow_running(running)


def _shadow_running(running: ClassifierModel, meanwhile: bool = False) -> ShadowStateConflict:
    return ShadowStateConflict(
        f"The {running.task} model {running.version[:12]} "
        f"{'went in shadow meanwhile' if meanwhile else 'is in shadow already'}: "
        "promote or discard it first.",
        running,
    )


def classifier_shadow_ensure_free(*, task: str) -> None:
    """Raise ShadowStateConflict when the task has a shadow: asked before training one."""
    running = ClassifierModel.objects.filter(task=task, state=State.SHADOW)
    if (current := running.defer("artifact").first()) is not None:
        raise _shadow_running(current)


def _locked_model(rows: list[ClassifierModel], model_id: int, task: str) -> ClassifierModel:
    """The model among a task's locked rows; a model of another task is refused."""
    model = next((r for r in rows if r.pk == model_id), None)
    if model is None:
        other = ClassifierModel.objects.filter(pk=model_id).values_list("task", flat=True).first()
        if other is None:
            raise ClassifierModel.DoesNotExist(f"No classifier model {model_id}.")
        raise ShadowTaskMismatch(
            f"Model {model_id} is a {other} model; it cannot shadow or replace the {task} model."
        )
    return model


def _actor_label(actor: AbstractBaseUser | None) -> str:
    return actor.get_username() if actor is not None else "the system"


def classifier_shadow_start(
    *, model_id: int, task: str, actor: AbstractBaseUser | None = None
) -> ClassifierModel:
    """Put a stored challenger of ``task`` in shadow: it scores live comments, never acts."""
    with transaction.atomic():
        rows = _lock_task(task)
        model = _locked_model(rows, model_id, task)
        if model.state == State.SHADOW:
            return model
        _refuse_second_shadow(rows, task, keep_version=model.version)
        if model.state == State.ACTIVE or model.is_pruned:
            raise ShadowStateConflict(
                "Only a stored challenger can go in shadow: this model is "
                + ("the active one." if model.state == State.ACTIVE else "pruned (no file)."),
                model,
            )
        model.state = State.SHADOW
        model.note = _noted(model.note, f"Put in shadow by {_actor_label(actor)}.")
        model.save(update_fields=["state", "note"])
    logger.info("%s put %s model %s in shadow", _actor_label(actor), task, model.version[:12])
    return model


def classifier_shadow_promote(
    *, model_id: int, task: str, actor: AbstractBaseUser | None = None
) -> ClassifierModel:
    """The task's shadow becomes its active model; the active one is retired."""
    with transaction.atomic():
        rows = _lock_task(task)
        model = _locked_model(rows, model_id, task)
        _refuse_unless_shadow(model, "promoted")
        now = timezone.now()
        live = model.shadow_scores.count()
        ClassifierModel.objects.filter(task=task, state=State.ACTIVE).update(state=State.RETIRED)
        model.state = State.ACTIVE
        model.activated_at = now
        model.note = _noted(
            model.note,
            f"Promoted from shadow by {_actor_label(actor)} after {live} live comments.",
        )
        model.save(update_fields=["state", "activated_at", "note"])
    logger.info("%s promoted %s shadow model %s", _actor_label(actor), task, model.version[:12])
    return model


def classifier_shadow_discard(
    *, model_id: int, task: str, actor: AbstractBaseUser | None = None
) -> ClassifierModel:
    """Stop the task's shadow: the model is rejected; its stored scores stay for the record."""
    with transaction.atomic():
        rows = _lock_task(task)
        model = _locked_model(rows, model_id, task)
        _refuse_unless_shadow(model, "discarded")
        model.state = State.REJECTED
        model.note = _noted(model.note, f"Discarded from shadow by {_actor_label(actor)}.")
        model.save(update_fields=["state", "note"])
    logger.info("%s discarded %s shadow model %s", _actor_label(actor), task, model.version[:12])
    return model


def _refuse_unless_shadow(model: ClassifierModel, verb: str) -> None:
    if model.state != State.SHADOW:
        raise ShadowStateConflict(
            f"Only a model in shadow can be {verb}; this one is {model.get_state_display()}.",
            model,
        )


def _noted(note: str, line: str) -> str:
    return f"{note} {line}".strip()


def classifier_prune(*, keep_challengers: int) -> int:
    """Empty the artifacts of old models; return how many were pruned.

    Per task, kept: the active model, the shadow one, the previous one (the last retired active, to
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
            kept = {row.pk for row in rows if row.state in (State.ACTIVE, State.SHADOW)}
            retired = [row for row in rows if row.state == State.RETIRED]
            if retired:
                kept.add(max(retired, key=lambda r: (r.activated_at or r.created_at, r.pk)).pk)
            others = [row.pk for row in rows if row.pk not in kept]
            kept.update(others[:keep_challengers])
            doomed = [row.pk for row in rows if row.pk not in kept and row.pruned_at is None]
            if doomed:
                pruned += (
                    ClassifierModel.objects.filter(pk__in=doomed)
                    .exclude(state__in=[State.ACTIVE, State.SHADOW])
                    .update(artifact=b"", artifact_bytes=0, pruned_at=now)
                )
    if pruned:
        logger.info("Pruned the artifacts of %d old models", pruned)
    return pruned
