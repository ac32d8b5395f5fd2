"""Template helpers for the reader pages."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


def _ago(seconds: int) -> str:
    if seconds < 3600:
        minutes = seconds // 60
        return ngettext("%(count)d minute ago", "%(count)d minutes ago", minutes) % {
            "count": minutes
        }
    if seconds < 86400:
        hours = seconds // 3600
        return ngettext("%(count)d hour ago", "%(count)d hours ago", hours) % {"count": hours}
    days = seconds // 86400
    return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}


@register.filter
def relative_time(value: datetime | None, now: datetime | None = None) -> str:
    """ "just now", "5 minutes ago", "3 hours ago", "2 days ago", then the date."""
    if value is None:
        return ""
    now = now or timezone.now()
    seconds = max(0, int((now - value).total_seconds()))
    if seconds < 60:
        return str(_("just now"))
    if seconds < 7 * 86400:
        return _ago(seconds)
    local = timezone.localtime(value)
    # "E": the month's form in a date (Ukrainian genitive: "3 березня").
    return date_format(local, "j E Y" if local.year != now.year else "j E")
