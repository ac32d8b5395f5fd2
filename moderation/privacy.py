"""A commenter's personal data: export it, erase it, and drop IP addresses after retention.

A commenter is identified by the email they gave (stored lower-cased), or by their
Reader (a reader signed in by the publisher, known by id whatever email they used).
Erasing keeps each
comment row, so replies by other readers stay in their threads and the audit trail stays
whole, but removes everything that came from or points at the person: name, email, text,
IP address, user agent, referrer, and the classifier's explanation (which quotes words of
the text). Each erased comment gets an `erased` event naming the editor who asked.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import CorrectionRequest, Reader
from moderation.comment_list_cache import published_comments_changed
from moderation.models import (
    Comment,
    CommentReport,
    CommentRevision,
    IllegalContentNotice,
    MailRecipient,
    ModerationEvent,
)

logger = logging.getLogger(__name__)

ERASED_NAME = "[erased]"
ERASED_BODY = "[This comment was removed at its author's request.]"


def _normalise(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email:
        raise ValueError(f"{email!r} is not an email address.")
    return email


def _email_digest(email: str) -> str:
    """Logs name the person by a digest, never by the address they asked us to forget."""
    return hashlib.sha256(email.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Commenter:
    """Whose data: an email, or a Reader's id; the rows of each kind that are theirs."""

    email: str
    reader: Reader | None

    @property
    def comments(self) -> Q:
        return Q(reader=self.reader) if self.reader else Q(author_email=self.email)

    @property
    def requests(self) -> Q:
        return Q(reader=self.reader) if self.reader else Q(email=self.email)

    @property
    def reports(self) -> Q:
        # Reports carry no email: only a reader's own are known to be theirs.
        return Q(reader=self.reader) if self.reader else Q(pk__in=[])

    def describe(self) -> dict[str, Any]:
        if self.reader is None:
            return {"email": self.email}
        return {"reader": _reader_data(self.reader)}


def commenter(*, email: str | None = None, reader_id: int | None = None) -> Commenter:
    """The commenter named by exactly one of an email or a reader id."""
    if (email is None) == (reader_id is None):
        raise ValueError("Name the commenter by an email or by a reader id, not both.")
    if reader_id is None:
        return Commenter(email=_normalise(email or ""), reader=None)
    reader = Reader.objects.filter(pk=reader_id).first()
    if reader is None:
        raise ValueError(f"No reader with id {reader_id}.")
    return Commenter(email="", reader=reader)


def _reader_data(reader: Reader) -> dict[str, Any]:
    return {
        "id": reader.pk,
        "site": reader.site.slug,
        "sso_subject": reader.sso_subject,
        "display_name": reader.display_name,
        "email": reader.email,
        "avatar_url": reader.avatar_url,
        "created_at": reader.created_at.isoformat(),
        "last_seen_at": reader.last_seen_at.isoformat() if reader.last_seen_at else None,
    }


def commenter_data_export(
    *, email: str | None = None, reader_id: int | None = None
) -> dict[str, Any]:
    """Everything stored about the commenter with this email or reader id, JSON-ready."""
    whose = commenter(email=email, reader_id=reader_id)
    comments = (
        Comment.objects.filter(whose.comments)
        .select_related("article")
        .prefetch_related("events", "revisions")
        .order_by("created_at", "id")
    )
    requests = (
        CorrectionRequest.objects.filter(whose.requests)
        .select_related("article")
        .order_by("created_at", "id")
    )
    reports = CommentReport.objects.filter(whose.reports).order_by("created_at", "id")
    return {
        **whose.describe(),
        "exported_at": timezone.now().isoformat(),
        "comments": [
            {
                "id": c.pk,
                "article": c.article.slug,
                "article_title": c.article.title,
                "parent_id": c.parent_id,
                "author_name": c.author_name,
                "author_email": c.author_email,
                "body": c.body,
                "spoiler_tag": c.author_spoiler_tag,
                "status": c.status,
                "created_at": c.created_at.isoformat(),
                "ip_address": c.ip_address,
                "user_agent": c.user_agent,
                "referrer": c.referrer,
                "spam_score": c.spam_score,
                "spoiler_score": c.spoiler_score,
                "abuse_score": c.abuse_score,
                # The texts it had before its author edited it, oldest first.
                "earlier_texts": [
                    {"body": r.body, "written_at": r.written_at.isoformat()}
                    for r in c.revisions.all()
                ],
                # What happened to the comment; the staff members' names are not the
                # commenter's data and stay out.
                "history": [
                    {
                        "action": e.action,
                        "from_status": e.from_status,
                        "to_status": e.to_status,
                        "reason_code": e.reason_code,
                        "at": e.created_at.isoformat(),
                    }
                    for e in c.events.all()
                ],
            }
            for c in comments
        ],
        "correction_requests": [
            {
                "id": r.pk,
                "article": r.article.slug,
                "quote": r.quote,
                "suggestion": r.suggestion,
                "email": r.email,
                "status": r.status,
                "created_at": r.created_at.isoformat(),
                "ip_address": r.ip_address,
            }
            for r in requests
        ],
        "reports": [
            {
                "id": r.pk,
                "comment_id": r.comment_id,
                "reason": r.reason,
                "text": r.text,
                "created_at": r.created_at.isoformat(),
                "ip_address": r.ip_address,
            }
            for r in reports
        ],
    }


@dataclass(frozen=True)
class ErasureResult:
    comments: int
    correction_requests: int
    reports: int = 0


def commenter_data_erase(
    *,
    actor: AbstractBaseUser | None,
    email: str | None = None,
    reader_id: int | None = None,
) -> ErasureResult:
    """Erase the commenter's personal data, in one transaction; a second run finds nothing.

    By reader, the Reader row loses its name, email, avatar and publisher's id too, so
    a later sign-in by the same person starts a new, unlinked reader.
    """
    whose = commenter(email=email, reader_id=reader_id)
    with transaction.atomic():
        comments = list(
            Comment.objects.select_for_update()
            .filter(whose.comments)
            .exclude(body=ERASED_BODY, author_name=ERASED_NAME, author_email="")
            .order_by("id")
        )
        now = timezone.now()
        for comment in comments:
            comment.author_name = ERASED_NAME
            comment.author_email = ""
            comment.body = ERASED_BODY
            comment.ip_address = None
            comment.user_agent = ""
            comment.referrer = ""
            comment.explanation = {}
            comment.updated_at = now
        Comment.objects.bulk_update(
            comments,
            [
                "author_name",
                "author_email",
                "body",
                "ip_address",
                "user_agent",
                "referrer",
                "explanation",
                "updated_at",
            ],
        )
        # The texts a comment had before its author edited it are theirs too.
        CommentRevision.objects.filter(comment__in=[c.pk for c in comments]).delete()
        for article_id in {c.article_id for c in comments if c.status == Comment.Status.APPROVED}:
            published_comments_changed(article_id)
        ModerationEvent.objects.bulk_create(
            ModerationEvent(
                comment=comment,
                actor=actor,  # type: ignore[misc]
                action=ModerationEvent.Action.ERASED,
                from_status=comment.status,
                to_status=comment.status,
                reason_code="erasure_request",
                created_at=now,
            )
            for comment in comments
        )
        requests = _erase_requests(whose)
        reports = CommentReport.objects.filter(whose.reports).exclude(text="", ip_address=None)
        reports_erased = reports.update(text="", ip_address=None)
        # The address we mailed, its opt-ins and the log of what was sent to it.
        address = whose.reader.email if whose.reader else whose.email
        if address:
            MailRecipient.objects.filter(email=address).delete()
            IllegalContentNotice.objects.filter(contact_email=address).update(
                contact_email="", contact_name="", ip_address=None
            )
        if whose.reader is not None:
            Reader.objects.filter(pk=whose.reader.pk).update(
                sso_subject="", display_name=ERASED_NAME, email="", avatar_url=""
            )
    logger.info(
        "Erased a commenter's data",
        extra={
            **(
                {"email_digest": _email_digest(whose.email)}
                if whose.reader is None
                else {"reader_id": whose.reader.pk}
            ),
            "comments": len(comments),
            "correction_requests": requests,
            "reports": reports_erased,
            "actor": actor.get_username() if actor else "system",
        },
    )
    return ErasureResult(
        comments=len(comments), correction_requests=requests, reports=reports_erased
    )


def _erase_requests(whose: Commenter) -> int:
    requests = CorrectionRequest.objects.filter(whose.requests)
    if whose.reader is None:
        return requests.update(email="", ip_address=None)
    # A signed-in reader's request is theirs by id: its email goes even if it was kept.
    return requests.exclude(email="", ip_address=None).update(email="", ip_address=None)


@dataclass(frozen=True)
class IpPurgeResult:
    comments: int
    reports: int
    correction_requests: int


def ips_purge(*, older_than_days: int | None = None) -> IpPurgeResult:
    """Drop IP addresses stored longer than the retention period (IP_RETENTION_DAYS)."""
    days = settings.IP_RETENTION_DAYS if older_than_days is None else older_than_days
    if days < 0:
        raise ValueError("The retention period can't be negative.")
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        result = IpPurgeResult(
            comments=Comment.objects.filter(created_at__lt=cutoff, ip_address__isnull=False).update(
                ip_address=None
            ),
            reports=CommentReport.objects.filter(
                created_at__lt=cutoff, ip_address__isnull=False
            ).update(ip_address=None),
            correction_requests=CorrectionRequest.objects.filter(
                created_at__lt=cutoff, ip_address__isnull=False
            ).update(ip_address=None),
        )
    logger.info("Purged old IP addresses", extra={"retention_days": days, **vars(result)})
    return result
