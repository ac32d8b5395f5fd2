"""What a reader's page needs to know of their own recommendations."""

from django.http import HttpRequest

from articles.models import Article
from moderation.models import CommentReaction


def recommended_ids(request: HttpRequest, article: Article) -> list[int]:
    """The comments of the article this browser recommended: the page's script marks
    their buttons, outside the cached page of comments (which every reader shares)."""
    key = request.session.session_key
    if not key:
        return []
    return list(
        CommentReaction.objects.filter(session_key=key, comment__article=article)
        .order_by("comment_id")
        .values_list("comment_id", flat=True)
    )
