"""A commenter's personal data: export it, erase it, and drop IP addresses after retention.

A commenter is identified by the email they gave (stored lower-cased). Erasing keeps each
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
from django.utils import timezone

from articles.models import CorrectionRequest
from moderation.models import (
    Comment,
    CommentReport,
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


def commenter_data_export(*, email: str) -> dict[str, Any]:
    """Everything stored about the commenter with this email, as JSON-ready data."""
    email = _normalise(email)
    comments = (
        Comment.objects.filter(author_email=email)
        .select_related("article")
        .prefetch_related("events")
        .order_by("created_at", "id")
    )
    requests = (
        CorrectionRequest.objects.filter(email=email)
        .select_related("article")
        .order_by("created_at", "id")
    )
    return {
        "email": email,
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
    }


@dataclass(frozen=True)
class ErasureResult:
    comments: int
    correction_requests: int


def commenter_data_erase(*, email: str, actor: AbstractBaseUser | None) -> ErasureResult:
    """Erase the commenter's personal data, in one transaction; a second run finds nothing."""
    email = _normalise(email)
    with transaction.atomic():
        comments = list(
            Comment.objects.select_for_update().filter(author_email=email).order_by("id")
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
        requests = CorrectionRequest.objects.filter(email=email).update(email="", ip_address=None)
        # The address we mailed, its opt-ins and the log of what was sent to it.
        MailRecipient.objects.filter(email=email).delete()
        IllegalContentNotice.objects.filter(contact_email=email).update(
            contact_email="", contact_name="", ip_address=None
        )
    logger.info(
        "Erased a commenter's data",
        extra={
            "email_digest": _email_digest(email),
            "comments": len(comments),
            "correction_requests": requests,
            "actor": actor.get_username() if actor else "system",
        },
    )
    return ErasureResult(comments=len(comments), correction_requests=requests)


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
