"""What a reader's browser remembers: their own comments and the comments they reported.

Reports are kept in the session (stored server-side; the cookie carries only a signed
key). Own comments are kept in a cookie of their own, signed, so that posting a comment
costs no session read and write: the list is the reader's own, which they may read but
cannot forge, and the comment's 201 is never followed by a write that could fail.
"""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from articles.models import Reader
    from moderation.models import Comment

OWN_COMMENTS_COOKIE = "own_comments"
_OWN_COMMENTS_SALT = "articles.reader_session.own_comments"
REPORTED_KEY = "reader_reported_comments"
# Enough for one reading session; older ids have long been decided.
REMEMBERED = 50


def _remember(request: HttpRequest, key: str, comment_id: int) -> None:
    ids = [i for i in request.session.get(key, []) if i != comment_id]
    request.session[key] = [*ids, comment_id][-REMEMBERED:]


def own_comments_cookie(comment_ids: list[int]) -> str:
    """The signed cookie value naming these comments as the browser's own."""
    return signing.dumps(comment_ids[-REMEMBERED:], salt=_OWN_COMMENTS_SALT, compress=True)


def remember_own_comment(request: HttpRequest, response: HttpResponse, comment_id: int) -> None:
    """The browser posted this comment: it may see it awaiting moderation, edit, delete it."""
    ids = [i for i in own_comment_ids(request) if i != comment_id]
    value = own_comments_cookie([*ids, comment_id])
    request.COOKIES[OWN_COMMENTS_COOKIE] = value  # read back later in this request
    response.set_cookie(
        OWN_COMMENTS_COOKIE,
        value,
        max_age=settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite=settings.SESSION_COOKIE_SAMESITE,
    )


def own_comment_ids(request: HttpRequest) -> list[int]:
    value = request.COOKIES.get(OWN_COMMENTS_COOKIE)
    if not value:
        return []
    try:
        ids = signing.loads(value, salt=_OWN_COMMENTS_SALT, max_age=settings.SESSION_COOKIE_AGE)
    except signing.BadSignature:  # forged, or signed with a retired key: forgotten
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


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
    """The comment was posted from this browser (its cookie names it), or by the reader
    signed in now."""
    if comment.pk in own_comment_ids(request):
        return True
    reader = signed_in_reader(request)
    return reader is not None and comment.reader_id == reader.pk


def session_key(request: HttpRequest) -> str:
    """The reader's session key, the session created if the reader has none yet."""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""
