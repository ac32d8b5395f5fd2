"""Template helpers for the reader pages."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()


def _ago(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'} ago"


@register.filter
def relative_time(value: datetime | None, now: datetime | None = None) -> str:
    """ "just now", "5 minutes ago", "3 hours ago", "2 days ago", then the date."""
    if value is None:
        return ""
    now = now or timezone.now()
    seconds = max(0, int((now - value).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return _ago(seconds // 60, "minute")
    if seconds < 86400:
        return _ago(seconds // 3600, "hour")
    if seconds < 7 * 86400:
        return _ago(seconds // 86400, "day")
    local = timezone.localtime(value)
    return date_format(local, "j F Y" if local.year != now.year else "j F")
