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
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

from newsroom.lib.ratelimit import Rate, count_window, window_key

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

    def to_bytes(self) -> bytes:
        return f"{self.version}\n{self.slug}\n{self.etag}\n".encode() + self.body

    @classmethod
    def from_bytes(cls, raw: bytes) -> CachedPage:
        version, slug, etag, body = raw.split(b"\n", 3)
        return cls(version.decode(), slug.decode(), etag.decode(), body)


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


def current_version(article_id: int, seen: str | None) -> str:
    """The version to render under: the one the lookup saw, else a new one set now
    (an article never cached, or a cache that lost its keys)."""
    if seen is not None:
        return seen
    key = version_key(article_id)
    cache.add(key, secrets.token_hex(8), timeout=None)
    return str(cache.get(key) or "")


def store(*, request: HttpRequest, article_id: int, page: CachedPage) -> None:
    seconds = settings.COMMENT_PAGE_CACHE_SECONDS
    if seconds <= 0 or not page.version:
        return
    key = page_cache_key(article_id=article_id, address=request.build_absolute_uri())
    cache.set(key, page.to_bytes(), seconds)


def page_etag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def page_response(request: HttpRequest, page: CachedPage) -> HttpResponse:
    """The stored bytes, or 304 when the client (or a CDN) holds them already."""
    if page.etag in _etags(request.META.get("HTTP_IF_NONE_MATCH", "")):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(page.body, content_type="application/json")
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
