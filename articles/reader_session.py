"""What a reader's session remembers: their own comments and the comments they reported.

Sessions are stored server-side; the cookie carries only a signed key, so a reader can
neither see nor forge another reader's list.
"""

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from articles.models import Reader
    from moderation.models import Comment

OWN_COMMENTS_KEY = "reader_own_comments"
REPORTED_KEY = "reader_reported_comments"
# Enough for one reading session; older ids have long been decided.
REMEMBERED = 50


def _remember(request: HttpRequest, key: str, comment_id: int) -> None:
    ids = [i for i in request.session.get(key, []) if i != comment_id]
    request.session[key] = [*ids, comment_id][-REMEMBERED:]


def remember_own_comment(request: HttpRequest, comment_id: int) -> None:
    _remember(request, OWN_COMMENTS_KEY, comment_id)


def own_comment_ids(request: HttpRequest) -> list[int]:
    return list(request.session.get(OWN_COMMENTS_KEY, []))


def remember_report(request: HttpRequest, comment_id: int) -> None:
    _remember(request, REPORTED_KEY, comment_id)


def has_reported(request: HttpRequest, comment_id: int) -> bool:
    return comment_id in request.session.get(REPORTED_KEY, [])


def signed_in_reader(request: HttpRequest) -> "Reader | None":
    """The reader the publisher signed in on this request: set by the views that check
    the sign-in token (articles.api.sign_in.request_reader), None on the reader pages,
    where the browser's session is the reader."""
    return getattr(request, "reader", None)


def is_own_comment(request: HttpRequest, comment: "Comment") -> bool:
    """The comment was posted from this browser (its session remembers it), or by the
    reader signed in now."""
    if comment.pk in request.session.get(OWN_COMMENTS_KEY, []):
        return True
    reader = signed_in_reader(request)
    return reader is not None and comment.reader_id == reader.pk


def session_key(request: HttpRequest) -> str:
    """The reader's session key, the session created if the reader has none yet."""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""
