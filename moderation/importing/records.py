"""What the export readers yield: plain records, no ORM, one item at a time."""

from dataclasses import dataclass, field
from datetime import datetime


class ImportFileError(Exception):
    """The file cannot be read as an export of the format asked for; stops the import."""


class ItemError(ValueError):
    """One article or comment of the export is unusable; it is skipped and reported."""


@dataclass(frozen=True)
class ImportedComment:
    # Unique within the export's format, e.g. the Disqus post id.
    key: str
    article_key: str
    parent_key: str
    author_name: str
    author_email: str
    body: str
    created_at: datetime
    status: str  # one of Comment.Status's values
    ip_address: str | None = None


@dataclass(frozen=True)
class ImportedArticle:
    # The publisher's id for the article: becomes Article.external_id.
    key: str
    title: str
    url: str
    author: str
    published_at: datetime | None
    body_html: str = ""
    # WXR carries an article's comments inside it; Disqus lists them after the threads.
    comments: list[ImportedComment] = field(default_factory=list)
