"""Reads of comments for readers and moderators."""

from django.db.models import QuerySet

from articles.models import Article
from moderation.models import Comment


def comment_list_approved(*, article: Article) -> QuerySet[Comment]:
    """Approved comments in the order they were posted; the email and IP never leave."""
    return (
        Comment.objects.filter(article=article, status=Comment.Status.APPROVED)
        .only("id", "parent_id", "author_name", "body", "is_spoiler", "created_at", "article_id")
        .order_by("created_at", "id")
    )
