"""Lookups the API views of both apps share."""

from django.http import Http404

from articles.models import Article
from articles.selectors import article_get_published


def published_article_or_404(slug: str) -> Article:
    try:
        return article_get_published(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None
