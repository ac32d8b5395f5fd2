"""What embed.js asks before it shows anything: the article by the publisher's id, with
the texts, limits and endpoints of the public API it then uses like any client.

Answered only to pages of a site that lists their origin (articles.site_origins); an
unknown id on a site that allows it creates the article from the page that asked.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from articles.embed_strings import embed_strings, report_reasons
from articles.models import Article, CorrectionRequest, Site
from articles.selectors import article_get_by_external_id, comment_counts
from articles.services import article_create_from_page
from articles.site_origins import OriginRefused, site_for_origin
from moderation.models import COMMENT_BODY_MAX_LENGTH, COMMENT_NAME_MAX_LENGTH, CommentReport
from newsroom.api.errors import errors
from newsroom.api.views import PublicAPIView, drf_validation_error

_SITE_PARAMETER = OpenApiParameter(
    "site", str, description="The site's slug, when several sites list the page's origin."
)
EmbedConfigSerializer = inline_serializer(
    name="EmbedConfig",
    fields={
        "article": serializers.DictField(),
        "site": serializers.DictField(),
        "language": serializers.CharField(),
        "comment_count": serializers.IntegerField(),
        "endpoints": serializers.DictField(child=serializers.CharField()),
        "limits": serializers.DictField(child=serializers.IntegerField()),
        "report_reasons": serializers.ListField(child=serializers.DictField()),
        "strings": serializers.DictField(child=serializers.CharField()),
    },
)


def _calling_site(request: Request) -> Site:
    try:
        return site_for_origin(request, request.query_params.get("site", ""))
    except OriginRefused as error:
        raise PermissionDenied(str(error)) from None


def embed_config(article: Article, site: Site) -> dict[str, Any]:
    # A path with a placeholder the script fills in: reverse() needs a real id.
    report = reverse("api:comment-reports", kwargs={"pk": 1}).replace("/1/", "/{id}/")
    return {
        "article": {
            "external_id": article.external_id,
            "slug": article.slug,
            "title": article.title,
            "url": article.url,
            "accepts_comments": article.accepts_comments,
            "paragraphs": article.paragraphs,
        },
        "site": {"name": site.name, "allow_anonymous": site.allow_anonymous},
        "language": article.language,
        "comment_count": comment_counts(article=article).approved,
        "endpoints": {
            "comments": reverse("api:article-comments", kwargs={"slug": article.slug}),
            "correction_requests": reverse(
                "api:article-correction-requests", kwargs={"slug": article.slug}
            ),
            "report": report,
        },
        "limits": {
            "name": COMMENT_NAME_MAX_LENGTH,
            "body": COMMENT_BODY_MAX_LENGTH,
            "quote": CorrectionRequest.QUOTE_MAX_LENGTH,
            "suggestion": CorrectionRequest.SUGGESTION_MAX_LENGTH,
            "report_text": _max_length(CommentReport, "text"),
        },
        "report_reasons": report_reasons(article.language),
        "strings": embed_strings(article.language),
    }


class EmbedArticleView(PublicAPIView):
    @extend_schema(
        operation_id="embed_article",
        tags=["embed"],
        summary="An article by the publisher's id, with what the embed needs to show it",
        description=(
            "For pages of a site that lists their origin. 404 with `can_create: true` when "
            "the site creates unknown articles from the page (POST `embed/articles/`)."
        ),
        parameters=[_SITE_PARAMETER],
        responses={200: EmbedConfigSerializer, **errors(400, 403, 404, 429)},
    )
    def get(self, request: Request, external_id: str) -> Response:
        site = _calling_site(request)
        limit = _max_length(Article, "external_id")
        if len(external_id) > limit:
            raise ValidationError({"external_id": [f"At most {limit} characters."]})
        article = article_get_by_external_id(site=site, external_id=external_id)
        if article is None:
            body = {"detail": str(NotFound.default_detail), "can_create": site.auto_create_articles}
            return Response(body, status=status.HTTP_404_NOT_FOUND)
        return Response(embed_config(article, site))


def _max_length(model: type[Any], field: str) -> int:
    return int(model._meta.get_field(field).max_length)


class PageArticleSerializer(serializers.Serializer[Any]):
    external_id = serializers.CharField(max_length=_max_length(Article, "external_id"))
    url = serializers.URLField(max_length=_max_length(Article, "url"))
    title = serializers.CharField(max_length=_max_length(Article, "title"))
    body = serializers.CharField(
        max_length=100_000,
        help_text=(
            "The page's article text (its `data-article-body`), paragraphs split by blank "
            "lines; else its description or title."
        ),
    )


class EmbedArticleCreateView(PublicAPIView):
    @extend_schema(
        operation_id="embed_article_create",
        tags=["embed"],
        summary="Create an unknown article from the page that embeds the comments",
        description=(
            "Only on sites with `auto_create_articles`, from a page of the site, whose "
            "canonical URL is on one of the site's origins. An id that exists already is "
            "answered with that article (200)."
        ),
        parameters=[_SITE_PARAMETER],
        request=PageArticleSerializer,
        responses={
            200: EmbedConfigSerializer,
            201: EmbedConfigSerializer,
            **errors(400, 403, 429),
            404: OpenApiResponse(description="The site does not create articles from pages."),
        },
    )
    def post(self, request: Request) -> Response:
        site = _calling_site(request)
        if not site.auto_create_articles:
            raise NotFound("This site does not create articles from its pages.")
        data = PageArticleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            article, created = article_create_from_page(site=site, **data.validated_data)
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(embed_config(article, site), status=code)
