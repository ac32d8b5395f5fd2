"""Reads of the fitted thresholds: the policy's input and the model page's table."""

from django.core.cache import cache

from moderation.models import FittedThreshold
from moderation.policy import DEFAULT_TARGET_PRECISION, FITTED_THRESHOLDS

CACHE_KEY = "policy:fitted-thresholds"
# Every policy asks, so the values are kept in the shared cache; a refit or a new
# target deletes the key, and the timeout bounds how stale a process-local cache
# (the embedded default) can be.
CACHE_SECONDS = 60


def fitted_threshold_values() -> dict[str, float]:
    """{"spam_reject": 0.93, ...} for each threshold a retrain fitted."""
    values = cache.get(CACHE_KEY)
    if values is None:
        values = dict(
            FittedThreshold.objects.filter(value__isnull=False).values_list("threshold", "value")
        )
        cache.set(CACHE_KEY, values, CACHE_SECONDS)
    return dict(values)


def fitted_threshold_for(*, task: str) -> FittedThreshold:
    """The task's fitted threshold, or an unsaved one with the default target."""
    name = FITTED_THRESHOLDS[task]
    found = FittedThreshold.objects.filter(threshold=name).first()
    return found or FittedThreshold(threshold=name, target_precision=DEFAULT_TARGET_PRECISION[name])
