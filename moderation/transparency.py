"""The figures a transparency report asks for, per calendar month: notices received,
time to first action on them, appeals and how many were reversed, and how much of the
moderation against comments was automated."""

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from moderation.grounds import DECISIONS_AGAINST
from moderation.models import Appeal, IllegalContentNotice, ModerationEvent

CSV_COLUMNS = [
    "month",
    "notices",
    "notices_handled",
    "median_hours_to_first_action",
    "appeals",
    "appeals_decided",
    "appeals_reversed",
    "reversal_rate",
    "decisions_against_comments",
    "automated_decisions",
    "automated_share",
]


@dataclass
class MonthFigures:
    month: date
    notices: int = 0
    notices_handled: int = 0
    median_hours_to_first_action: float | None = None
    appeals: int = 0
    appeals_decided: int = 0
    appeals_reversed: int = 0
    decisions_against_comments: int = 0
    automated_decisions: int = 0

    @property
    def reversal_rate(self) -> float | None:
        return self.appeals_reversed / self.appeals_decided if self.appeals_decided else None

    @property
    def automated_share(self) -> float | None:
        if not self.decisions_against_comments:
            return None
        return self.automated_decisions / self.decisions_against_comments

    def row(self) -> list[object]:
        return [
            self.month.strftime("%Y-%m"),
            self.notices,
            self.notices_handled,
            _rounded(self.median_hours_to_first_action),
            self.appeals,
            self.appeals_decided,
            self.appeals_reversed,
            _rounded(self.reversal_rate, 3),
            self.decisions_against_comments,
            self.automated_decisions,
            _rounded(self.automated_share, 3),
        ]


def _rounded(value: float | None, digits: int = 1) -> object:
    return "" if value is None else round(value, digits)


def _month(value: datetime) -> date:
    return timezone.localtime(value).date().replace(day=1)


def monthly_figures(*, since: datetime | None = None) -> list[MonthFigures]:
    """One row per month with anything in it, newest first."""
    figures: dict[date, MonthFigures] = {}

    def at(when: date | datetime) -> MonthFigures:
        key = when.date() if isinstance(when, datetime) else when
        return figures.setdefault(key.replace(day=1), MonthFigures(key.replace(day=1)))

    notices = IllegalContentNotice.objects.all()
    appeals = Appeal.objects.all()
    # A change of status into rejected or spam, by a person or by the system.
    against = ModerationEvent.objects.filter(to_status__in=DECISIONS_AGAINST).exclude(
        from_status__in=DECISIONS_AGAINST
    )
    if since is not None:
        notices, appeals = (
            notices.filter(created_at__gte=since),
            appeals.filter(created_at__gte=since),
        )
        against = against.filter(created_at__gte=since)

    waits: dict[date, list[float]] = defaultdict(list)
    for created, handled in notices.values_list("created_at", "handled_at").iterator():
        row = at(_month(created))
        row.notices += 1
        if handled is not None:
            row.notices_handled += 1
            waits[row.month].append((handled - created).total_seconds() / 3600)
    for month, hours in waits.items():
        figures[month].median_hours_to_first_action = statistics.median(hours)
    for created, outcome in appeals.values_list("created_at", "outcome").iterator():
        row = at(_month(created))
        row.appeals += 1
        row.appeals_decided += outcome != Appeal.Outcome.PENDING
        row.appeals_reversed += outcome == Appeal.Outcome.REVERSED
    by_month = (
        against.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(total=Count("id"), automated=Count("id", filter=Q(actor__isnull=True)))
    )
    for counted in by_month:
        row = at(counted["month"])
        row.decisions_against_comments += counted["total"]
        row.automated_decisions += counted["automated"]
    return sorted(figures.values(), key=lambda r: r.month, reverse=True)
