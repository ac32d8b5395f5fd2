"""Reads for the reader pages."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from articles.models import Article, Correction


def article_list_published() -> QuerySet[Article]:
    return Article.objects.filter(published_at__lte=timezone.now()).annotate(
        approved_comments=Count("comments", filter=Q(comments__status="approved"))
    )


def article_get_published(*, slug: str) -> Article:
    return Article.objects.get(slug=slug, published_at__lte=timezone.now())


def correction_list() -> QuerySet[Correction]:
    return Correction.objects.select_related("article")
