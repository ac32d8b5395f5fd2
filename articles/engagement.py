"""What a reader's page needs to know of their own recommendations."""

from django.http import HttpRequest

from articles.models import Article
from articles.reader_session import signed_in_reader
from moderation.models import CommentReaction


def recommended_ids(request: HttpRequest, article: Article) -> list[int]:
    """The comments of the article this browser recommended: the page's script marks
    their buttons, outside the cached page of comments (which every reader shares)."""
    reader = signed_in_reader(request)
    key = request.session.session_key
    if reader is not None:
        mine = CommentReaction.objects.filter(reader=reader)
    elif key:
        mine = CommentReaction.objects.filter(reader=None, session_key=key)
    else:
        return []
    return list(
        mine.filter(comment__article=article)
        .order_by("comment_id")
        .values_list("comment_id", flat=True)
    )
