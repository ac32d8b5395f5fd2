"""The queue's filters. Counts come from one aggregate per filter over indexed columns."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from moderation.admin.stats import QUEUE_LABELS
from moderation.models import Comment
from moderation.policy import Bounds, ModerationPolicy, band_label, site_policy
from moderation.selectors import QUEUE_STATUSES, QUEUES, comment_sample_unmoderated


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


class _BandFilter(_ConditionFilter):
    """A score's bands as the site's policy draws them, read when the page is drawn.

    The list crosses sections, so the site's thresholds draw the bands (the title says
    so); each row's bar is coloured by its own section's."""

    score_field = ""

    def __init__(self, request: HttpRequest, params: Any, model: Any, model_admin: Any) -> None:
        bands = self.bands(site_policy())
        self.conditions = {"unscored": Q(**{f"{self.score_field}__isnull": True})}
        self.labels = {"unscored": "Not scored yet"}
        for name, (lower, upper) in bands.items():
            condition = Q()
            if lower is not None:
                condition &= Q(**{f"{self.score_field}__gte": lower})
            if upper is not None:
                condition &= Q(**{f"{self.score_field}__lt": upper})
            self.conditions[name] = condition
            self.labels[name] = band_label(lower, upper)
        super().__init__(request, params, model, model_admin)

    def bands(self, policy: ModerationPolicy) -> dict[str, Bounds]:
        raise NotImplementedError


class SpamBandFilter(_BandFilter):
    """Published, held for a person, hidden as spam."""

    title = "spam score (site thresholds)"
    parameter_name = "spam_band"
    score_field = "spam_score"

    def bands(self, policy: ModerationPolicy) -> dict[str, Bounds]:
        return policy.spam_bands()


class SpoilerBandFilter(_BandFilter):
    title = "spoiler score (site thresholds)"
    parameter_name = "spoiler_band"
    score_field = "spoiler_score"

    def bands(self, policy: ModerationPolicy) -> dict[str, Bounds]:
        return policy.spoiler_bands()


class StatusFilter(_ConditionFilter):
    """Only the statuses the chosen queue can hold (all four for "All comments")."""

    title = _("status")
    parameter_name = "status__exact"

    def __init__(self, request: HttpRequest, params: Any, model: Any, model_admin: Any) -> None:
        queue = request.GET.get(QueueFilter.parameter_name, "")
        statuses = QUEUE_STATUSES.get(queue, tuple(Comment.Status.values))
        self.conditions = {status: Q(status=status) for status in statuses}
        self.labels = {status: str(Comment.Status(status).label) for status in statuses}
        super().__init__(request, params, model, model_admin)


SAMPLE_SIZE = 20


def _start_of_today() -> datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


class SampleFilter(_ConditionFilter):
    """A quality check of the model: SAMPLE_SIZE comments it published today, picked at
    random when the page is drawn (its count: how many it published today)."""

    title = _("quality check")
    parameter_name = "sample"

    def __init__(self, request: HttpRequest, params: Any, model: Any, model_admin: Any) -> None:
        today = Q(QUEUES["unmoderated"], created_at__gte=_start_of_today())
        if request.GET.get(self.parameter_name) == "today":
            # Drawn once per page, so the rows and the counts agree.
            picked = comment_sample_unmoderated(size=SAMPLE_SIZE, since=_start_of_today())
            today = Q(pk__in=picked)
        self.conditions = {"today": today}
        self.labels = {
            "today": str(_("%(n)s random auto-approved from today") % {"n": SAMPLE_SIZE})
        }
        super().__init__(request, params, model, model_admin)
