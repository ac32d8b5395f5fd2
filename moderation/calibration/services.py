"""Writes of the fitted thresholds: the editors' target, and the refit at each retrain."""

from collections.abc import Sequence
from dataclasses import asdict

from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from moderation import classifier
from moderation.calibration.selectors import CACHE_KEY
from moderation.models import FittedThreshold
from moderation.policy import DEFAULT_TARGET_PRECISION, FITTED_THRESHOLDS

TARGET_RANGE = (0.5, 1.0)


class TargetPrecisionError(ValueError):
    """A target precision outside TARGET_RANGE."""


def _row(task: str) -> FittedThreshold:
    name = FITTED_THRESHOLDS[task]
    row, _created = FittedThreshold.objects.select_for_update().get_or_create(
        threshold=name, defaults={"target_precision": DEFAULT_TARGET_PRECISION[name]}
    )
    return row


def fitted_threshold_target_set(
    *, task: str, target_precision: float, actor: AbstractBaseUser | None
) -> FittedThreshold:
    """Set the precision the task's threshold is fitted for; applies at the next retrain."""
    low, high = TARGET_RANGE
    if not low <= target_precision <= high:
        raise TargetPrecisionError(f"The target precision must be from {low:g} to {high:g}.")
    with transaction.atomic():
        row = _row(task)
        row.target_precision = target_precision
        row.target_set_by = actor  # type: ignore[assignment]
        row.target_set_at = timezone.now()
        row.save(update_fields=["target_precision", "target_set_by", "target_set_at"])
    return row


def fitted_threshold_refit(
    *,
    task: str,
    model: "classifier.TextClassifier",
    texts: Sequence[str],
    labels: Sequence[int],
) -> FittedThreshold:
    """Re-fit the task's threshold: ``model`` scores the decided comments ``texts``
    (people's ``labels``), and the threshold becomes the lowest score reaching the
    target precision; none when too few comments or the target is out of reach.
    """
    # Imported here: numpy stays out of the web process until a refit needs it.
    from moderation.classifier.thresholds import fit_threshold

    scores = model.score_batch(list(texts))
    with transaction.atomic():
        row = _row(task)
        fit = fit_threshold(labels, scores, row.target_precision)
        row.value = fit.threshold
        row.precision = fit.precision
        row.recall = fit.recall
        row.n_decided = fit.n_decided
        row.n_positive = fit.n_positive
        row.table = [asdict(entry) for entry in fit.table]
        row.model_version = model.version
        row.fitted_at = timezone.now()
        row.save()
        transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    return row
