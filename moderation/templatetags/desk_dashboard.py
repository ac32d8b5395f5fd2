"""The dashboard on the admin index: queue sizes, waiting time, decisions, reversals."""

from typing import Any

from django import template
from django.urls import reverse

from moderation.admin import charts
from moderation.admin.stats import (
    classifier_reversals,
    decisions_per_day,
    oldest_waiting_since,
    queue_overview,
)
from moderation.models import ModerationEvent

register = template.Library()

Action = ModerationEvent.Action
CHART_SERIES = [
    (Action.APPROVED, "approved", "#5b9a5b"),
    (Action.REJECTED, "rejected", "#b04040"),
    (Action.MARKED_SPAM, "spam", "#d08a20"),
    ((Action.SPOILER_SET, Action.SPOILER_CLEARED), "spoiler flag", "#7d4cb0"),
]


def _decisions_chart() -> Any:
    days = decisions_per_day(days=30)
    series = []
    for actions, name, colour in CHART_SERIES:
        wanted = actions if isinstance(actions, tuple) else (actions,)
        series.append(
            charts.Series(name, colour, [sum(counts[a] for a in wanted) for _, counts in days])
        )
    total = sum(sum(s.values) for s in series)
    svg = charts.stacked_bars(
        [day.strftime("%d %b") for day, _ in days],
        series,
        title="People's decisions per day, last 30 days",
    )
    return svg, total


@register.inclusion_tag("admin/desk/dashboard.html", takes_context=True)
def desk_dashboard(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("moderation.view_comment"):
        return {"show": False}
    changelist = reverse("admin:moderation_comment_changelist")
    chart, total = _decisions_chart()
    return {
        "show": True,
        "queues": [(q, f"{changelist}?queue={q.name}") for q in queue_overview()],
        "oldest": oldest_waiting_since(),
        "chart": chart,
        "decisions_total": total,
        "reversals": classifier_reversals(days=30),
        "models_url": reverse("admin:moderation_classifiermodel_task", args=["spam"])
        if user.has_perm("moderation.view_classifiermodel")
        else None,
        "corrections_url": reverse("admin:articles_correctionrequest_changelist")
        if user.has_perm("articles.view_correctionrequest")
        else None,
    }
