"""What each event says, built in the worker from the rows (the signals carry ids only).

Readers' email and IP addresses never leave: a publisher's reader is named by the
publisher's own id for them (the SSO subject).
"""

from collections.abc import Callable, Iterator
from typing import Any

from articles.models import Article, Correction, CorrectionRequest, WebhookEvent
from moderation.models import Comment, CommentReport

# (site id, the event's data) for each object the event is about.
Payloads = Iterator[tuple[int | None, dict[str, Any]]]


def _article(article: Article) -> dict[str, Any]:
    return {
        "id": article.pk,
        "external_id": article.external_id,
        "url": article.url,
        "title": article.title,
    }


def _reader(reader: Any) -> dict[str, Any] | None:
    if reader is None:
        return None
    return {"id": reader.pk, "sso_subject": reader.sso_subject, "verified": reader.is_verified}


def _comment(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "article": _article(comment.article),
        "parent_id": comment.parent_id,
        "author_name": comment.author_name,
        "reader": _reader(comment.reader),
        "body": comment.body,
        "status": comment.status,
        "is_spoiler": comment.is_spoiler,
        "created_at": comment.created_at.isoformat(),
    }


def _comments(ids: list[int]) -> Iterator[Comment]:
    yield from Comment.objects.filter(pk__in=ids).select_related("article", "reader").order_by("pk")


def comments_published(ids: list[int]) -> Payloads:
    for comment in _comments(ids):
        if comment.status == Comment.Status.APPROVED:  # not unpublished since
            yield comment.article.site_id, {"comment": _comment(comment)}


def comments_rejected(ids: list[int]) -> Payloads:
    for comment in _comments(ids):
        if comment.status not in (Comment.Status.REJECTED, Comment.Status.SPAM):
            continue
        event = comment.events.order_by("-created_at", "-id").first()
        decision = None
        if event is not None:
            decision = {
                "action": event.action,
                "by": "person" if event.actor_id else "system",
                "reason_code": event.reason_code,
                "model_versions": event.model_versions,
                "at": event.created_at.isoformat(),
            }
        yield comment.article.site_id, {"comment": _comment(comment), "decision": decision}


def comments_reported(ids: list[int]) -> Payloads:
    reports = CommentReport.objects.filter(pk__in=ids).select_related(
        "comment__article", "comment__reader"
    )
    for report in reports.order_by("pk"):
        yield (
            report.comment.article.site_id,
            {
                "report": {
                    "id": report.pk,
                    "reason": report.reason,
                    "created_at": report.created_at.isoformat(),
                },
                "comment": _comment(report.comment),
            },
        )


def _request(request: CorrectionRequest) -> dict[str, Any]:
    return {
        "id": request.pk,
        "article": _article(request.article),
        "quote": request.quote,
        "paragraph_index": request.paragraph_index,
        "suggestion": request.suggestion,
        "status": request.status,
        "created_at": request.created_at.isoformat(),
    }


def correction_requests_created(ids: list[int]) -> Payloads:
    requests = CorrectionRequest.objects.filter(pk__in=ids).select_related("article")
    for request in requests.order_by("pk"):
        yield request.article.site_id, {"correction_request": _request(request)}


def corrections_published(ids: list[int]) -> Payloads:
    corrections = Correction.objects.filter(pk__in=ids).select_related("article")
    for correction in corrections.order_by("pk"):
        yield (
            correction.article.site_id,
            {
                "correction": {
                    "id": correction.pk,
                    "article": _article(correction.article),
                    "text": correction.text,
                    "published_at": correction.published_at.isoformat(),
                    "request_ids": sorted(correction.requests.values_list("pk", flat=True)),
                }
            },
        )


BUILDERS: dict[str, Callable[[list[int]], Payloads]] = {
    WebhookEvent.COMMENT_PUBLISHED: comments_published,
    WebhookEvent.COMMENT_REJECTED: comments_rejected,
    WebhookEvent.COMMENT_REPORTED: comments_reported,
    WebhookEvent.CORRECTION_REQUEST_CREATED: correction_requests_created,
    WebhookEvent.CORRECTION_PUBLISHED: corrections_published,
}
