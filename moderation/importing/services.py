"""Writes for an import: the export's articles and comments, one item per transaction.

Idempotent: every imported comment keeps its export's id in `import_key`, so a second
run finds it and adds nothing. An item that fails (a comment too long, a date that is
not one) is reported and skipped whole; the items before and after it are kept.

Imported comments keep their author, time and status and are not scored: they are
history, already decided elsewhere. With `score`, they wait for the scoring sweep
like any unscored comment, and their statuses count as people's decisions, the labels
the next retraining learns from (a person's decision is never overwritten by a score).
"""

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.article_html import html_to_paragraphs
from articles.models import Article, Site
from articles.services import article_ensure
from moderation.importing.records import (
    ImportedArticle,
    ImportedComment,
    ImportFileError,
    ItemError,
)
from moderation.models import (
    COMMENT_BODY_MAX_LENGTH,
    COMMENT_NAME_MAX_LENGTH,
    Comment,
    ModerationEvent,
)

Action = ModerationEvent.Action
IMPORT_KEY_MAX_LENGTH = 120


@dataclass
class ImportResult:
    articles_created: int = 0
    comments_created: int = 0
    comments_existing: int = 0
    errors: list[str] = field(default_factory=list)
    # Why the file could not be read to its end (the items before were imported).
    stopped: str = ""


def import_key(fmt: str, site: Site, key: str) -> str:
    """The comment's id in the export, unique across formats and sites."""
    return f"{fmt}:{site.pk}:{key}"[:IMPORT_KEY_MAX_LENGTH]


def _email(value: str) -> str:
    value = value.strip().lower()
    try:
        validate_email(value)
    except ValidationError:
        return ""  # an export's junk address is not worth losing the comment over
    return value


def _ip(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


class _Importer:
    def __init__(self, *, fmt: str, site: Site, score: bool) -> None:
        self.fmt = fmt
        self.site = site
        self.score = score
        self.result = ImportResult()
        self.now = timezone.now()
        # The export's article key -> our article id: one short entry per article.
        self.articles: dict[str, int] = {}

    def article(self, record: ImportedArticle) -> Article:
        body = "\n\n".join(html_to_paragraphs(record.body_html))
        article, created = article_ensure(
            site=self.site,
            external_id=record.key,
            title=record.title,
            body=body,
            url=record.url,
            author=record.author,
            published_at=record.published_at,
        )
        self.result.articles_created += created
        self.articles[record.key] = article.pk
        return article

    def comment(self, record: ImportedComment) -> None:
        key = import_key(self.fmt, self.site, record.key)
        if Comment.objects.filter(import_key=key).exists():
            self.result.comments_existing += 1
            return
        if len(record.body) > COMMENT_BODY_MAX_LENGTH:
            raise ItemError(f"Comment {record.key}: longer than {COMMENT_BODY_MAX_LENGTH}.")
        article_id = self.articles.get(record.article_key)
        if article_id is None:
            raise ItemError(f"Comment {record.key}: its article is not in the file.")
        parent = (
            Comment.objects.filter(
                import_key=import_key(self.fmt, self.site, record.parent_key)
            ).first()
            if record.parent_key
            else None
        )
        decided = self.score and record.status != Comment.Status.PENDING
        comment = Comment.objects.create(
            article_id=article_id,
            parent=parent,
            author_name=record.author_name.strip()[:COMMENT_NAME_MAX_LENGTH],
            author_email=_email(record.author_email),
            body=record.body,
            status=record.status,
            ip_address=_ip(record.ip_address),
            created_at=record.created_at,
            import_key=key,
            # Not scored: left out of the sweep, unless asked to be scored.
            scored_at=None if self.score else self.now,
            decided_at=self.now if decided else None,
        )
        ModerationEvent.objects.create(
            comment=comment,
            action=Action.IMPORTED,
            to_status=record.status,
            reason_text=f"Imported from a {self.fmt} export ({record.key}).",
        )
        self.result.comments_created += 1

    def item(self, item: ImportedArticle | ImportedComment | ItemError) -> None:
        if isinstance(item, ItemError):
            self.result.errors.append(str(item))
        elif isinstance(item, ImportedArticle):
            # The article first, then each of its comments on its own (WXR nests them).
            if self._atomic(item):
                for comment in item.comments:
                    self._atomic(comment)
        else:
            self._atomic(item)

    def _atomic(self, record: ImportedArticle | ImportedComment) -> bool:
        """Write one record whole or not at all; a failure is reported, not raised."""
        try:
            with transaction.atomic():
                if isinstance(record, ImportedArticle):
                    self.article(record)
                else:
                    self.comment(record)
        except ItemError as error:
            self.result.errors.append(str(error))
        except (ValidationError, IntegrityError) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            self.result.errors.append(f"{_item_key(record)}: {'; '.join(messages)}")
        else:
            return True
        return False


def _item_key(item: ImportedArticle | ImportedComment) -> str:
    kind = "Article" if isinstance(item, ImportedArticle) else "Comment"
    return f"{kind} {item.key}"


def comments_import(
    *,
    items: Iterable[ImportedArticle | ImportedComment | ItemError],
    fmt: str,
    site: Site,
    score: bool = False,
) -> ImportResult:
    """Import the export's items in order; see the module's docstring."""
    importer = _Importer(fmt=fmt, site=site, score=score)
    try:
        for item in items:
            importer.item(item)
    except ImportFileError as error:
        importer.result.stopped = str(error)
    return importer.result
