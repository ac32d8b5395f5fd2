"""Reader pages: the article list, an article with its comments, the corrections page."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from articles import selectors
from articles.models import Article
from moderation.selectors import comment_list_approved


def article_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "articles/article_list.html", {"articles": selectors.article_list_published()}
    )


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = selectors.article_get_published(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None
    comments = list(comment_list_approved(article=article))
    return render(
        request,
        "articles/article_detail.html",
        {"article": article, "comments": comments, "corrections": article.corrections.all()},
    )


def correction_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "articles/correction_list.html", {"corrections": selectors.correction_list()}
    )
