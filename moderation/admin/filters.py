"""The queue's filters. Counts come from one aggregate per filter over indexed columns."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from moderation.admin.stats import QUEUE_LABELS
from moderation.selectors import QUEUES


class _ConditionFilter(admin.SimpleListFilter):
    """A filter whose choices are named Q conditions, counted in a single aggregate."""

    conditions: dict[str, Q] = {}
    labels: dict[str, str] = {}

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(name, self.labels.get(name, name)) for name in self.conditions]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet | None:
        condition = self.conditions.get(self.value() or "")
        return queryset.filter(condition) if condition is not None else queryset

    def get_facet_counts(self, pk_attname: str, filtered_qs: QuerySet) -> dict[str, Count]:
        # Django's default builds one `pk IN (subquery)` per choice; a filtered COUNT is cheaper.
        return {
            f"{i}__c": Count(pk_attname, filter=self.conditions[name])
            for i, (name, _) in enumerate(self.lookup_choices)
        }


class QueueFilter(_ConditionFilter):
    """The desk opens on the pending queue; "All comments" is an explicit choice."""

    title = "queue"
    parameter_name = "queue"
    conditions = QUEUES
    labels = QUEUE_LABELS
    ALL = "all"

    def choices(self, changelist: Any) -> Iterator[Any]:
        choices = super().choices(changelist)
        everything = next(choices)  # Django's "All", which would drop the parameter
        everything["selected"] = self.value() in (None, self.ALL)
        everything["display"] = "All comments"
        everything["query_string"] = changelist.get_query_string({self.parameter_name: self.ALL})
        yield everything
        yield from choices


class SpamBandFilter(_ConditionFilter):
    title = "spam score"
    parameter_name = "spam_band"
    # The bands are the policy's: published, held for a person, hidden as spam.
    conditions = {
        "unscored": Q(spam_score__isnull=True),
        "low": Q(spam_score__lt=settings.SPAM_HOLD),
        "held": Q(spam_score__gte=settings.SPAM_HOLD, spam_score__lt=settings.SPAM_REJECT),
        "high": Q(spam_score__gte=settings.SPAM_REJECT),
    }
    labels = {
        "unscored": "Not scored yet",
        "low": f"Below {settings.SPAM_HOLD:g}",
        "held": f"{settings.SPAM_HOLD:g} to {settings.SPAM_REJECT:g}",
        "high": f"{settings.SPAM_REJECT:g} and above",
    }


class SpoilerBandFilter(_ConditionFilter):
    title = "spoiler score"
    parameter_name = "spoiler_band"
    conditions = {
        "unscored": Q(spoiler_score__isnull=True),
        "low": Q(spoiler_score__lt=settings.SPOILER_FLAG),
        "high": Q(spoiler_score__gte=settings.SPOILER_FLAG),
    }
    labels = {
        "unscored": "Not scored yet",
        "low": f"Below {settings.SPOILER_FLAG:g}",
        "high": f"{settings.SPOILER_FLAG:g} and above",
    }
