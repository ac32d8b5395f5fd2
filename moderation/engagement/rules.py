"""When the author may still change their comment: the one place the reader pages, the
API and the services ask."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from moderation.models import Comment

DELETED = _("This comment was deleted by its author.")
HAS_REPLIES = _("Someone has replied to this comment, so it can no longer be edited.")


def edit_window() -> timedelta:
    return timedelta(minutes=settings.COMMENT_EDIT_WINDOW_MINUTES)


def window_passed() -> str:
    minutes = settings.COMMENT_EDIT_WINDOW_MINUTES
    return ngettext(
        "A comment can be edited only in the first %(minutes)d minute after it is posted.",
        "A comment can be edited only in the first %(minutes)d minutes after it is posted.",
        minutes,
    ) % {"minutes": minutes}


def edit_refusal(comment: Comment, *, now: datetime, has_replies: bool) -> str | None:
    """Why the author may not edit the comment now, or None if they may.

    A reply answers the text as it was: once there is one (published or not), the text
    stays, so no conversation is left answering words that are gone.
    """
    if comment.deleted_at is not None:
        return str(DELETED)
    if now - comment.created_at > edit_window():
        return window_passed()
    if has_replies:
        return str(HAS_REPLIES)
    return None


def may_edit(comment: Comment, *, now: datetime) -> bool:
    """For showing the Edit link: the time and the deletion (the page adds the replies it
    shows; the service counts every reply when the edit is sent)."""
    return comment.deleted_at is None and now - comment.created_at <= edit_window()
