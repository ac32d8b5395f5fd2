"""The publisher's API: a CMS keeps its articles in step with ours.

`PUT /api/v1/articles/{external_id}/` creates or updates, `DELETE` archives. The token
is a Publishers account's; it acts for the site that lists it among its publishers
(`?site=` names one when it is listed on several).
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import services
from articles.models import Article, CommentMode, Site
from articles.selectors import NoSiteForPublisher, SiteNotNamed, site_for_publisher
from newsroom.api.callers import CachedTokenAuthentication
from newsroom.api.errors import ErrorSerializer, errors
from newsroom.api.permissions import IsPublisher
from newsroom.api.throttles import PublicScopedThrottle
from newsroom.api.views import drf_validation_error

# Letters, digits and URL-safe punctuation: what a path segment carries unescaped.
EXTERNAL_ID_PATTERN = r"[A-Za-z0-9._~:@-]{1,200}"
# Room for HTML markup around the text; the request as a whole is limited to
# REQUEST_BODY_MAX_BYTES (256 KB by default), refused with 413 before it is read.
BODY_INPUT_MAX_LENGTH = 2 * services.ARTICLE_BODY_MAX_LENGTH
TOO_LARGE = OpenApiResponse(
    response=ErrorSerializer, description="The request body is over REQUEST_BODY_MAX_BYTES."
)


class ArticleSyncInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=300)
    body = serializers.CharField(
        max_length=BODY_INPUT_MAX_LENGTH,
        help_text=(
            "Plain text (paragraphs separated by a blank line) or HTML (see body_format). "
            "HTML is sanitised to its text, one paragraph per block element; HTML with "
            "scripts, frames, event handlers or javascript: links is refused (400)."
        ),
    )
    body_format = serializers.ChoiceField(choices=["text", "html"], default="text")
    standfirst = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    url = serializers.URLField(
        required=False, allow_blank=True, max_length=500, help_text="The canonical URL."
    )
    section = serializers.CharField(
        required=False,
        max_length=60,
        help_text="The section's name; made if new. Left out: unchanged (new: News).",
    )
    language = serializers.CharField(
        required=False, max_length=10, help_text="A language code: en, uk, ru..."
    )
    published_at = serializers.DateTimeField(required=False)
    comment_mode = serializers.ChoiceField(
        choices=CommentMode.choices,
        required=False,
        help_text="Left out: unchanged (new: as its section says).",
    )
    author = serializers.CharField(required=False, allow_blank=True, max_length=120)


class ArticleSyncedSerializer(serializers.ModelSerializer[Article]):
    section = serializers.CharField(source="section.name")
    changed = serializers.ListField(
        child=serializers.CharField(), help_text="Fields this call changed."
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "external_id",
            "slug",
            "url",
            "title",
            "section",
            "language",
            "comment_mode",
            "published_at",
            "updated_at",
            "archived_at",
            "changed",
        ]


SITE_PARAMETER = OpenApiParameter(
    "site",
    OpenApiTypes.STR,
    description="The site's slug, for an account that publishes for several sites.",
)


EXTERNAL_ID_PARAMETER = OpenApiParameter(
    "external_id",
    OpenApiTypes.STR,
    location=OpenApiParameter.PATH,
    pattern=f"^{EXTERNAL_ID_PATTERN}$",
    description="The CMS's id for the article (unique per site).",
)


class ArticleSyncView(APIView):
    authentication_classes = [CachedTokenAuthentication]
    permission_classes = [IsPublisher]
    parser_classes = [JSONParser]
    throttle_classes = [PublicScopedThrottle]
    throttle_scope = "article_sync"

    def _site(self, request: Request) -> Site:
        try:
            return site_for_publisher(user=request.user, slug=request.query_params.get("site"))
        except NoSiteForPublisher as error:
            raise PermissionDenied(str(error)) from None
        except SiteNotNamed as error:
            raise ValidationError({"site": [str(error)]}) from None

    @extend_schema(
        operation_id="articles_sync_upsert",
        tags=["publisher"],
        summary="Create or update an article from the publisher's CMS",
        description=(
            "Idempotent: the same call again changes nothing (`changed` is empty). Fields "
            "left out keep their value. A changed body leaves correction requests pointing "
            "at the text the reader saw. 201 when created, 200 otherwise."
        ),
        parameters=[EXTERNAL_ID_PARAMETER, SITE_PARAMETER],
        request=ArticleSyncInputSerializer,
        responses={
            200: ArticleSyncedSerializer,
            201: ArticleSyncedSerializer,
            # An id with characters outside its pattern names no endpoint.
            **errors(400, 401, 403, 404, 429),
            413: TOO_LARGE,
        },
    )
    def put(self, request: Request, external_id: str) -> Response:
        site = self._site(request)
        data = ArticleSyncInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        body_is_html = fields.pop("body_format") == "html"
        try:
            synced = services.article_upsert(
                site=site, external_id=external_id, body_is_html=body_is_html, **fields
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        synced.article.changed = synced.changed  # type: ignore[attr-defined]
        return Response(
            ArticleSyncedSerializer(synced.article).data,
            status=status.HTTP_201_CREATED if synced.created else status.HTTP_200_OK,
        )

    @extend_schema(
        operation_id="articles_sync_archive",
        tags=["publisher"],
        summary="Archive an article: off the pages and the public API, comments kept",
        parameters=[EXTERNAL_ID_PARAMETER, SITE_PARAMETER],
        request=None,
        responses={204: None, **errors(400, 401, 403, 404, 429)},
    )
    def delete(self, request: Request, external_id: str) -> Response:
        site = self._site(request)
        article = Article.objects.filter(site=site, external_id=external_id).first()
        if article is None:
            raise Http404("No article with this id on the site.")
        services.article_archive(article_id=article.pk, actor=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
