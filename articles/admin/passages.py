"""Correction requests grouped by the passage they quote, shown as the reader saw it."""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.html import format_html
from django.utils.safestring import SafeString

from articles.models import Article, CorrectionRequest

ReqStatus = CorrectionRequest.Status
OPEN = (ReqStatus.NEW, ReqStatus.IN_PROGRESS)


def normalise_quote(quote: str) -> str:
    """Quotes of the same words match whatever their case, spacing or typographic quotes."""
    text = quote.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return re.sub(r"\s+", " ", text).strip().casefold()


def _locate(paragraph: str, request: CorrectionRequest) -> tuple[int, int] | None:
    """Where the quote sits in the paragraph: at its offset, after its prefix, or first seen."""
    quote = request.quote
    if not quote or not paragraph:
        return None
    offset = request.offset
    if offset is not None and paragraph[offset : offset + len(quote)] == quote:
        return offset, offset + len(quote)
    if request.prefix:
        tail = request.prefix[-40:]
        at = paragraph.find(tail + quote)
        if at >= 0:
            return at + len(tail), at + len(tail) + len(quote)
    at = paragraph.find(quote)
    if at < 0:
        match = re.search(re.escape(quote).replace(r"\ ", r"\s+"), paragraph, re.IGNORECASE)
        return (match.start(), match.end()) if match else None
    return at, at + len(quote)


def passage_html(request: CorrectionRequest) -> SafeString:
    """The quote highlighted inside its paragraph as the reader read it, all text escaped."""
    paragraph = request.paragraph_text
    where = _locate(paragraph, request)
    if where is not None:
        start, end = where
        return format_html(
            "{}<mark>{}</mark>{}", paragraph[:start], paragraph[start:end], paragraph[end:]
        )
    if request.quote:
        # No stored paragraph (or it no longer holds the quote): the context the reader sent.
        return format_html(
            "{}{}<mark>{}</mark>{}{}",
            "…" if request.prefix else "",
            request.prefix,
            request.quote,
            request.suffix,
            "…" if request.suffix else "",
        )
    return format_html("{}", paragraph)


@dataclass
class RequestGroup:
    article: Article
    key: str
    lead: CorrectionRequest
    requests: list[CorrectionRequest] = field(default_factory=list)

    @property
    def passage(self) -> SafeString:
        return passage_html(self.lead)

    @property
    def quoted(self) -> bool:
        return bool(self.lead.quote)

    @property
    def open_requests(self) -> list[CorrectionRequest]:
        return [r for r in self.requests if r.status in OPEN]

    @property
    def others(self) -> list[CorrectionRequest]:
        return [r for r in self.open_requests if r.pk != self.lead.pk]

    @property
    def article_changed(self) -> bool:
        """The article was edited after the earliest reader in the group read it."""
        return self.article.updated_at > min(r.article_updated_at for r in self.requests)

    @property
    def paragraph_now(self) -> str | None:
        """The paragraph's current text when it differs from what the reader saw."""
        index = self.lead.paragraph_index
        if index is None or not self.lead.paragraph_text:
            return None
        paragraphs = self.article.paragraphs
        current = paragraphs[index] if index < len(paragraphs) else ""
        return None if current == self.lead.paragraph_text else current

    @property
    def oldest(self) -> datetime:
        return min(r.created_at for r in self.requests)


def group_requests(requests: list[CorrectionRequest]) -> list[RequestGroup]:
    """One group per article and quoted passage; a request quoting nothing stands alone.

    The lead is the earliest open request (the one a resolution is written against);
    groups come oldest first, so the longest-waiting readers are answered first.
    """
    groups: dict[tuple[int, str], RequestGroup] = {}
    for request in sorted(requests, key=lambda r: (r.created_at, r.pk)):
        quote = normalise_quote(request.quote)
        key = (request.article_id, f"q:{quote}" if quote else f"r:{request.pk}")
        group = groups.get(key)
        if group is None:
            group = groups[key] = RequestGroup(request.article, key[1], request)
        group.requests.append(request)
    for group in groups.values():
        open_requests = group.open_requests
        if open_requests:
            group.lead = open_requests[0]
    return sorted(groups.values(), key=lambda g: g.oldest)
