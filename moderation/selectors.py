"""Reads of comments for readers and moderators."""

from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from articles.models import Article
from moderation.models import Comment

Status = Comment.Status

# The desk's queues; each is a filter on indexed columns. "auto_spam" waits for a
# person's status decision, "spoiler" for a person's review of the spoiler flag: one
# does not take a comment out of the other's queue.
QUEUES: dict[str, Q] = {
    "pending": Q(status=Status.PENDING),
    "auto_spam": Q(status=Status.SPAM, decided_at__isnull=True),
    "spoiler": Q(is_spoiler=True, spoiler_reviewed_at__isnull=True)
    & Q(status__in=[Status.PENDING, Status.APPROVED]),
    "reported": Q(reports_count__gt=0, status=Status.APPROVED),
}

# Most uncertain first, then oldest: the order a moderator should clear the queue in.
PRIORITY_ORDER = ("-uncertainty", "created_at", "id")


# Which person's decision labels a comment for each classifier: a status decision
# for spam, a review of the spoiler flag for spoilers.
LABELLED_AT = {"spam": "decided_at", "spoiler": "spoiler_reviewed_at"}


def comment_list_labelled(*, task: str, since: datetime | None = None) -> QuerySet[Comment]:
    """Comments a person labelled for `task` (after `since`, when given)."""
    stamp = LABELLED_AT[task]
    comments = Comment.objects.filter(**{f"{stamp}__isnull": False})
    if since is not None:
        comments = comments.filter(**{f"{stamp}__gt": since})
    return comments


def comment_list_approved(*, article: Article) -> QuerySet[Comment]:
    """Approved comments in the order they were posted; the email and IP never leave."""
    return (
        Comment.objects.filter(article=article, status=Status.APPROVED)
        .only("id", "parent_id", "author_name", "body", "is_spoiler", "created_at", "article_id")
        .order_by("created_at", "id")
    )


def comment_reply_target(*, article: Article, comment_id: int) -> Comment | None:
    """The comment a reader may reply to: published, on this article; None otherwise."""
    return comment_list_approved(article=article).filter(pk=comment_id).first()


def _author_history(status: str) -> Coalesce:
    """How many of the same author's earlier comments ended in `status` (matched by email)."""
    earlier = (
        Comment.objects.filter(
            author_email=OuterRef("author_email"),
            status=status,
            created_at__lt=OuterRef("created_at"),
        )
        .exclude(author_email="")
        .order_by()
        .values("author_email")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(earlier, output_field=IntegerField()), Value(0))


def comment_queue(*, queue: str | None = "pending") -> QuerySet[Comment]:
    """Comments for the desk, with their article and the author's track record, by priority."""
    comments = Comment.objects.all()
    if queue is not None:
        comments = comments.filter(QUEUES[queue])
    return (
        comments.select_related("article__section", "decided_by", "spoiler_reviewed_by")
        .annotate(
            author_approved_count=_author_history(Status.APPROVED),
            author_rejected_count=_author_history(Status.REJECTED),
        )
        .order_by(*PRIORITY_ORDER)
    )


def queue_sizes() -> dict[str, int]:
    return Comment.objects.aggregate(
        **{name: Count("id", filter=condition) for name, condition in QUEUES.items()}
    )
