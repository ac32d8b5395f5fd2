"""embed.js and its stylesheet at the service's root, where a host page's snippet finds them.

Read once per process from the app's static folder (no build step): the same bytes
whitenoise serves under /static/, with a short cache so a new release reaches host
pages within minutes, and a resource policy that lets any page load them.
"""

from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

STATIC = Path(__file__).resolve().parent / "static" / "articles"
CACHE_SECONDS = 300


@cache
def _asset(name: str) -> bytes:
    return (STATIC / name).read_bytes()


def _serve(name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(_asset(name), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_safe
def embed_script(request: HttpRequest) -> HttpResponse:
    return _serve("embed.js", "text/javascript; charset=utf-8")


@require_safe
def embed_stylesheet(request: HttpRequest) -> HttpResponse:
    return _serve("embed.css", "text/css; charset=utf-8")
