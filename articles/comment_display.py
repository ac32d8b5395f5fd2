"""What the comment template shows of each comment, worked out once in Python.

A page of comments renders the same few values for every comment; computed here they
cost a fraction of the equivalent template filters, which keeps the page fast with many
comments (see bench/article_page.py).
"""

from collections.abc import Collection
from datetime import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from articles.selectors import CommentPage
from articles.templatetags.reader import relative_time
from moderation.engagement.rules import may_edit

_ID_PLACEHOLDER = 987654321


def _long_date(value: datetime) -> str:
    # "E": the month as a date needs it (Ukrainian "29 листопада"; English "29 November").
    return date_format(timezone.localtime(value), "j E Y, H:i")


def _url_maker(name: str):  # type: ignore[no-untyped-def]
    # One reverse() per page, not per comment.
    template = reverse(name, kwargs={"comment_id": _ID_PLACEHOLDER})
    return lambda comment_id: template.replace(str(_ID_PLACEHOLDER), str(comment_id))


def annotate_comments(page: CommentPage, *, own_ids: Collection[int] = ()) -> None:
    """Set id_text, when_iso, when_text, when_title, the action URLs, and whether the
    reader wrote it (is_own) and may still edit it (can_edit) on every comment."""
    now = timezone.now()
    report_url = _url_maker("articles:comment_report")
    recommend_url = _url_maker("articles:comment_recommend")
    edit_url = _url_maker("articles:comment_edit")
    delete_url = _url_maker("articles:comment_delete")
    for comment in page.all_comments():
        # A string: the template would localise a number each of the seven times it is used.
        comment.id_text = str(comment.pk)  # type: ignore[attr-defined]
        comment.when_iso = comment.created_at.isoformat()  # type: ignore[attr-defined]
        comment.when_text = relative_time(comment.created_at, now)  # type: ignore[attr-defined]
        comment.when_title = _long_date(comment.created_at)  # type: ignore[attr-defined]
        comment.report_url = report_url(comment.pk)  # type: ignore[attr-defined]
        comment.recommend_url = recommend_url(comment.pk)  # type: ignore[attr-defined]
        is_own = comment.pk in own_ids and comment.deleted_at is None
        comment.is_own = is_own  # type: ignore[attr-defined]
        # A reply shown under it ends the editing too (the service also counts held ones).
        comment.can_edit = (  # type: ignore[attr-defined]
            is_own and may_edit(comment, now=now) and not comment.thread_replies  # type: ignore[attr-defined]
        )
        comment.edit_url = edit_url(comment.pk) if is_own else ""  # type: ignore[attr-defined]
        comment.delete_url = delete_url(comment.pk) if is_own else ""  # type: ignore[attr-defined]
