"""A site's RSS or Atom feed, read with feedparser into article fields (no ORM)."""

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser
import urllib3

from articles.article_html import html_to_paragraphs

FEED_MAX_BYTES = 5 * 1024 * 1024
FEED_TIMEOUT = urllib3.Timeout(connect=5.0, read=15.0)


class FeedError(Exception):
    """The feed could not be fetched or read."""


@dataclass(frozen=True)
class FeedEntry:
    external_id: str
    title: str
    url: str
    standfirst: str
    body: str
    author: str
    section: str
    published_at: datetime | None


def fetch_feed(url: str) -> bytes:
    """The feed's bytes: http(s) only, a short timeout, at most FEED_MAX_BYTES."""
    if not url.startswith(("https://", "http://")):
        raise FeedError("The feed URL must start with https:// or http://.")
    http = urllib3.PoolManager(timeout=FEED_TIMEOUT, retries=urllib3.Retry(total=2, redirect=3))
    try:
        response = http.request("GET", url, preload_content=False)
        data = response.read(FEED_MAX_BYTES + 1)
        response.release_conn()
    except urllib3.exceptions.HTTPError as error:
        raise FeedError(f"Could not fetch {url}: {error}") from None
    if response.status != 200:
        raise FeedError(f"{url} answered {response.status}.")
    if len(data) > FEED_MAX_BYTES:
        raise FeedError(f"{url} is larger than {FEED_MAX_BYTES} bytes.")
    return data


def _text(html: str) -> str:
    return "\n\n".join(html_to_paragraphs(html))


def _published(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC) if parsed else None


def _entry(entry: Any) -> FeedEntry | None:
    external_id = entry.get("id") or entry.get("link") or ""
    contents = entry.get("content") or []
    body = _text(contents[0].get("value", "")) if contents else ""
    summary = _text(entry.get("summary", ""))
    body = body or summary
    if not external_id or not body:
        return None  # nothing to comment on, or no way to find it again
    tags = entry.get("tags") or []
    return FeedEntry(
        external_id=external_id[:200],
        title=_text(entry.get("title", "")) or external_id[:300],
        url=entry.get("link", ""),
        standfirst=summary if contents else "",
        body=body,
        author=entry.get("author", ""),
        section=(tags[0].get("term") or "") if tags else "",
        published_at=_published(entry),
    )


def read_feed(data: bytes) -> list[FeedEntry]:
    """The feed's usable entries; FeedError if it is not a feed at all."""
    parsed = feedparser.parse(data)
    if parsed.get("bozo") and not parsed.entries:
        raise FeedError(f"Not a readable RSS or Atom feed: {parsed.get('bozo_exception')}")
    return [e for e in (_entry(entry) for entry in parsed.entries) if e is not None]
