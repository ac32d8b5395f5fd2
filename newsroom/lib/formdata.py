"""Form posts whose bytes are not UTF-8 are refused, field by field.

Django decodes form data with errors="replace", so a hand-made request with stray bytes
would be saved with U+FFFD where they were, while the API's JSON parser refuses such a
body. The reader forms ask undecodable_fields() and put an error on each such field.
"""

from collections.abc import Callable
from io import BytesIO
from urllib.parse import parse_qsl

from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser
from django.utils.translation import gettext_lazy as _

NOT_UTF8 = _("This text could not be read (it is not UTF-8). Please type it again.")


class KeepFormBodyMiddleware:
    """Keep the raw bytes of a multipart form post for undecodable_fields().

    Django parses a multipart body straight from the stream and keeps nothing; once it
    has been read here, it is parsed from this copy. Bodies are already bounded by
    RequestBodyLimitMiddleware, so the copy is small. The API parses its own bodies.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.content_type == "multipart/form-data"
            and not request.path.startswith("/api/")
        ):
            request.body  # noqa: B018 - read for its side effect: the body is kept
        return self.get_response(request)


def undecodable_fields(request: HttpRequest) -> set[str]:
    """The names of the posted form fields whose value is not valid UTF-8."""
    if request.method != "POST":
        return set()
    # Parsed as Latin-1, which maps every byte to one character: each value comes back
    # byte for byte, and is then tried as UTF-8.
    body = request.body
    pairs: list[tuple[str, str]]
    if request.content_type == "application/x-www-form-urlencoded":
        pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="latin-1")
    elif request.content_type == "multipart/form-data":
        post, _files = MultiPartParser(request.META, BytesIO(body), [], "latin-1").parse()
        pairs = [(name, value) for name, values in post.lists() for value in values]
    else:
        return set()
    bad = set()
    for name, value in pairs:
        try:
            value.encode("latin-1").decode("utf-8")
        except UnicodeDecodeError:
            bad.add(name.encode("latin-1").decode("utf-8", errors="replace"))
    return bad
