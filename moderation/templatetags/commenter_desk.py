"""The commenter panel of a comment's page: their standing, sanctions, ban and suspend."""

from typing import Any

from django import template

from moderation.models import Comment
from moderation.selectors import sanctions_matching
from moderation.trust import commenter_key, standings

register = template.Library()


@register.inclusion_tag("admin/moderation/comment/_commenter.html", takes_context=True)
def commenter_panel(context: Any, comment: Comment) -> dict[str, Any]:
    key = commenter_key(comment)
    return {
        "comment": comment,
        "standing": standings([comment])[comment.pk],
        "sanctions": sanctions_matching(emails=[key]) if key else [],
        "domain": key.rpartition("@")[2] if key else "",
        "can_decide": context.get("can_decide", False),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
