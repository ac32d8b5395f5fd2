"""The public list of an article's comments, cached as the bytes a reader is sent.

Freshness comes from a version per article kept in the shared cache: the services that
change what is published (scoring, decisions, erasure, archiving...) call
`published_comments_changed`, which replaces the version once their transaction has
committed, so the first request after a decision misses and shows it. A stored page
carries the version it was rendered under and is sent only while that is still the
article's version: a hit reads the throttle counter, the version and the page in one
round trip and touches no database.

The version is read before the database is, so a page rendered while a decision commits
carries the old version and is never sent once the new one is in place.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from newsroom.api.throttles import COUNTED, scope_rate, throttle_key
from newsroom.lib.ratelimit import Rate, count_window, window_key

# The URL name of the list (moderation/api/urls.py, under the "api" namespace).
LIST_VIEW_NAME = "api:article-comments"

# slug → article id, per process: a hit needs the id before its one round trip. Filled
# by the miss path, which has found the article published; an archived article's
# version is bumped, so its next request misses and is answered 404.
_ARTICLE_IDS: dict[str, int] = {}
_ARTICLE_IDS_MAX = 10_000


def version_key(article_id: int) -> str:
    return f"comments:version:{article_id}"


def page_cache_key(*, article_id: int, address: str) -> str:
    """The key of one cached page: the article and the request's whole address.

    The address carries every query parameter (cursor, page size, and any the list
    gains, a sort order for one), so each distinct page has its own entry; a parameter
    that changes the bytes without appearing in the address would need adding here.
    """
    digest = hashlib.blake2b(address.encode(), digest_size=16).hexdigest()
    return f"comments:page:{article_id}:{digest}"


def published_comments_changed(article_id: int) -> None:
    """Retire every cached page of the article once the current transaction commits."""
    transaction.on_commit(lambda: _bump(article_id))


def _bump(article_id: int) -> None:
    cache.set(version_key(article_id), secrets.token_hex(8), timeout=None)


@dataclass(frozen=True)
class CachedPage:
    version: str
    slug: str
    etag: str
    body: bytes
    # What the middleware chain added to the first answer (security headers...), sent
    # again with every hit, which skips that chain.
    headers: tuple[tuple[str, str], ...] = ()

    def to_bytes(self) -> bytes:
        head = json.dumps([self.version, self.slug, self.etag, self.headers])
        return head.encode() + b"\n" + self.body

    @classmethod
    def from_bytes(cls, raw: bytes) -> CachedPage:
        head, body = raw.split(b"\n", 1)
        version, slug, etag, headers = json.loads(head)
        return cls(version, slug, etag, body, tuple((k, v) for k, v in headers))


@dataclass(frozen=True)
class Lookup:
    """What one round trip found: the throttle count, the version, the page if fresh."""

    article_id: int
    count: int
    seconds_left: int
    version: str | None
    page: CachedPage | None


def lookup(
    *, request: HttpRequest, slug: str, throttle_key: str, rate: Rate | None
) -> Lookup | None:
    """Count the request and look for the page, in one round trip; None without an id
    for the slug in this process (the caller takes the full path, which counts)."""
    article_id = _ARTICLE_IDS.get(slug)
    if article_id is None:
        return None
    key = page_cache_key(article_id=article_id, address=request.build_absolute_uri())
    counter, seconds_left = window_key(throttle_key, rate) if rate else (None, 0)
    count, (version, raw) = _count_and_get(
        counter, rate.seconds + 1 if rate else 0, [version_key(article_id), key]
    )
    page = CachedPage.from_bytes(raw) if raw else None
    if page is not None and (page.version != version or page.slug != slug):
        page = None
    return Lookup(article_id, count, seconds_left, version, page)


def _count_and_get(counter: str | None, timeout: int, keys: list[str]) -> tuple[int, list]:
    fetch: Callable[..., tuple[int, list]] | None = getattr(cache, "count_hit_and_get", None)
    if fetch is not None:  # the Redis cache: one pipeline
        return fetch(counter, timeout, keys)
    count = count_window(counter, timeout=timeout) if counter is not None else 0
    found = cache.get_many(keys)
    return count, [found.get(key) for key in keys]


def remember_article(slug: str, article_id: int) -> None:
    if len(_ARTICLE_IDS) >= _ARTICLE_IDS_MAX:
        _ARTICLE_IDS.clear()
    _ARTICLE_IDS[slug] = article_id


def forget_articles() -> None:
    """Drop this process's slug → id memory (tests, whose ids are reused)."""
    _ARTICLE_IDS.clear()


def current_version(article_id: int, seen: str | None) -> str:
    """The version to render under: the one the lookup saw, else a new one set now
    (an article never cached, or a cache that lost its keys)."""
    if seen is not None:
        return seen
    key = version_key(article_id)
    cache.add(key, secrets.token_hex(8), timeout=None)
    return str(cache.get(key) or "")


def mark_for_storing(response: HttpResponse, *, article_id: int, page: CachedPage) -> None:
    response.comment_list_page = (article_id, page)  # type: ignore[attr-defined]


def store(*, request: HttpRequest, response: HttpResponse) -> None:
    """Keep a page the view marked, with the headers the middleware chain gave it."""
    marked: tuple[int, CachedPage] | None = getattr(response, "comment_list_page", None)
    seconds = settings.COMMENT_PAGE_CACHE_SECONDS
    if marked is None or seconds <= 0 or not marked[1].version:
        return
    article_id, page = marked
    headers = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in _OWN_HEADERS
    )
    page = CachedPage(page.version, page.slug, page.etag, page.body, headers)
    key = page_cache_key(article_id=article_id, address=request.build_absolute_uri())
    cache.set(key, page.to_bytes(), seconds)


# Set by page_response itself, or never shared between readers.
_OWN_HEADERS = {"content-type", "content-length", "etag", "cache-control", "set-cookie"}


def page_etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def page_response(request: HttpRequest, page: CachedPage) -> HttpResponse:
    """The stored bytes, or 304 when the client (or a CDN) holds them already."""
    if page.etag in _etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(page.body, content_type="application/json")
        response["Content-Length"] = str(len(page.body))
    for name, value in page.headers:
        response[name] = value
    response["ETag"] = page.etag
    response["Cache-Control"] = cache_control()
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def cache_control() -> str:
    """What a browser or CDN may do with the list.

    Shared caches may keep it for COMMENT_LIST_SHARED_MAX_AGE seconds (0 by default:
    they store it and revalidate every request with its ETag, a 304 costing a hit);
    browsers always revalidate, so a reader sees a decision on the next load.
    """
    shared = settings.COMMENT_LIST_SHARED_MAX_AGE
    if shared > 0:
        return f"public, max-age=0, s-maxage={shared}"
    return "public, no-cache"


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


# The attribute the lookup leaves on the request: (article id, version seen), for a miss
# to render under.
SEEN_VERSION = "comment_list_version"


class CachedCommentListMiddleware:
    """Sends a cached page of the public comment list before the rest of the chain runs.

    Placed early in MIDDLEWARE: a hit is the throttle's count, the version and the page
    in one Redis round trip, then the stored bytes and headers. A miss (or a request
    over its limit) goes on to the view with the count taken, and the page the view
    renders is stored here on its way out, with the headers the chain added to it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        slug = _list_slug(request) if request.method == "GET" else None
        if slug is None:
            return self.get_response(request)
        scope = _read_scope()
        rate = scope_rate(scope)
        found = lookup(
            request=request, slug=slug, throttle_key=throttle_key(scope, request), rate=rate
        )
        if found is not None:
            # Counted: the view's throttle (on a miss, or over the limit) takes this count.
            setattr(request, COUNTED, (found.count, found.seconds_left))
            setattr(request, SEEN_VERSION, (found.article_id, found.version))
            if found.page is not None and (rate is None or found.count <= rate.count):
                return page_response(request, found.page)
        response = self.get_response(request)
        store(request=request, response=response)
        return response


def _list_slug(request: HttpRequest) -> str | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.view_name != LIST_VIEW_NAME:
        return None
    return str(match.kwargs["slug"])


def _read_scope() -> str:
    from moderation.api.views.public import ArticleCommentsView

    return ArticleCommentsView.read_scope
