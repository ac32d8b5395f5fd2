"""The readers' side of the comments API: an article's comments, posting, reporting."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api.lookups import published_article_or_404, published_article_recent_or_404
from articles.api.sign_in import SIGN_IN_ERRORS, as_reader, request_reader
from articles.reader_session import remember_own_comment
from articles.selectors import DEFAULT_SORT, SORTS
from articles.site_origins import is_cross_origin
from moderation import comment_list_cache
from moderation.api import serializers as s
from moderation.models import Comment
from moderation.selectors import comment_list_approved
from moderation.services import COMMENTS_CLOSED, comment_report, comment_submit
from newsroom.api.errors import PUBLIC_WRITE_ERRORS, ErrorSerializer, errors
from newsroom.api.pagination import CURSOR_PARAMETERS, KeysetOrdering, KeysetPagination
from newsroom.api.views import PublicAPIView, drf_validation_error, request_signals
from newsroom.db_router import public_read

Status = Comment.Status
# The reader pages' sorts (articles.selectors.SORTS), as cursor orderings.
_ORDERINGS = {name: KeysetOrdering.build(name, Comment, keys) for name, keys in SORTS.items()}
_LIST_PARAMETERS = [
    *CURSOR_PARAMETERS,
    OpenApiParameter(
        "sort",
        str,
        enum=list(SORTS),
        description=f"The order of the comments; `{DEFAULT_SORT}` when absent.",
    ),
    OpenApiParameter(
        "picks", bool, description="`true`: only the editors' picks, newest pick first."
    ),
]


_PICKS_ORDER = KeysetOrdering.build("picks", Comment, ("-featured_at", "-id"))


def _wants_picks(request: Request) -> bool:
    return request.query_params.get("picks", "").lower() in ("true", "1")


class ArticleCommentsView(PublicAPIView):
    write_scope = "comment_submit"
    pagination_class = KeysetPagination

    def get_keyset_ordering(self, request: Request) -> KeysetOrdering:
        if _wants_picks(request):
            return _PICKS_ORDER
        sort = request.query_params.get("sort", DEFAULT_SORT)
        return _ORDERINGS.get(sort, _ORDERINGS[DEFAULT_SORT])

    @extend_schema(
        operation_id="article_comments_list",
        tags=["public"],
        summary="An article's published comments",
        description=(
            "Approved comments in cursor pages, oldest first unless `sort` says otherwise. "
            "Replies are linked by `parent`. Spoilers are included with `is_spoiler` set, "
            "for the reader to reveal; a comment its author deleted keeps its place with "
            "an empty body and `is_deleted`. `picks=true` lists the editors' picks alone."
        ),
        responses={200: s.PublicCommentSerializer(many=True), **errors(400, 404, 429)},
        parameters=_LIST_PARAMETERS,
    )
    def get(self, request: Request, slug: str) -> HttpResponse:
        with public_read():
            return self._render_list(request, slug)

    def _render_list(self, request: Request, slug: str) -> HttpResponse:
        article = published_article_or_404(slug)
        comment_list_cache.remember_article(slug, article.pk)
        # What CachedCommentListMiddleware's lookup saw, when it made one.
        seen_id, seen = getattr(request, comment_list_cache.SEEN_VERSION, (None, None))
        # Read before the comments are: a page rendered while a decision commits is
        # stored under the version the decision replaces, and never sent after it.
        version = comment_list_cache.current_version(
            article.pk, seen if seen_id == article.pk else None
        )
        paginator = KeysetPagination()
        comments = comment_list_approved(article=article)
        if _wants_picks(request):
            comments = comments.filter(featured_at__isnull=False, deleted_at__isnull=True)
        rows = paginator.paginate_queryset(comments, request, self)
        results = s.PublicCommentSerializer(rows, many=True).data
        body = JSONRenderer().render(paginator.get_paginated_response(results).data)
        page = comment_list_cache.CachedPage(
            version=version, slug=slug, etag=comment_list_cache.page_etag(body), body=body
        )
        response = comment_list_cache.page_response(request, page)
        # Stored by the middleware, with the headers the rest of the chain adds.
        comment_list_cache.mark_for_storing(response, article_id=article.pk, page=page)
        return response

    @extend_schema(
        operation_id="article_comments_create",
        tags=["public"],
        summary="Post a comment or a reply",
        description=(
            "Saved as pending and published once the classifier (or a moderator) approves "
            "it. A submission that fills the hidden `website` field is answered with 201 "
            "and `id: null`, and dropped."
        ),
        request=s.CommentSubmitSerializer,
        responses={
            201: s.CommentSubmittedSerializer,
            **PUBLIC_WRITE_ERRORS,
            **SIGN_IN_ERRORS,
            403: OpenApiResponse(
                response=ErrorSerializer,
                description=(
                    "Comments are closed on this article, or the calling page's origin is "
                    "not one of its site's."
                ),
            ),
        },
    )
    @transaction.atomic  # a signed-in reader is saved with their comment, or not at all
    def post(self, request: Request, slug: str) -> Response:
        article = published_article_recent_or_404(slug)
        if not article.accepts_comments:
            # Not a fault in the input: nothing the reader sends would be accepted.
            raise PermissionDenied(COMMENTS_CLOSED)
        site = article.site
        reader = request_reader(request, site, anonymous_allowed=site.allow_anonymous)
        data = s.CommentSubmitSerializer(data=as_reader(request.data, reader))
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        if fields.get("website"):
            return Response(_honeypot_answer(fields), status=status.HTTP_201_CREATED)
        try:
            comment = comment_submit(
                article=article,
                author_name=fields["author_name"],
                author_email=fields.get("author_email", ""),
                body=fields["body"],
                parent_id=fields.get("parent"),
                spoiler_tag=fields["spoiler"],
                reader=reader,
                notify=fields["notify"],
                **request_signals(request),
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        response = Response(
            s.COMMENT_SUBMITTED.to_representation(submitted_answer(comment)),
            status=status.HTTP_201_CREATED,
        )
        # The same browser may edit or delete it later (moderation.api.views.engagement).
        # A page on another origin calls without cookies (CORS_ALLOW_CREDENTIALS is off)
        # and its browser drops ours: the cookie would be signed for nobody.
        if not is_cross_origin(request._request):
            remember_own_comment(request._request, response, comment.pk)
        return response


def submitted_answer(comment: Comment) -> dict[str, Any]:
    """What the author is told of their comment once posted (or edited)."""
    return {
        "id": comment.pk,
        "status": comment.status,
        "parent": comment.parent_id,
        "author_name": comment.author_name,
        "body": comment.body,
        "is_spoiler": comment.is_spoiler,
        "created_at": comment.created_at,
        "author_verified": comment.reader is not None and comment.reader.is_verified,
    }


def _honeypot_answer(fields: dict[str, Any]) -> dict[str, Any]:
    answer = {
        "id": None,
        "status": Status.PENDING,
        "parent": fields.get("parent"),
        "author_name": fields["author_name"],
        "body": fields["body"],
        "is_spoiler": fields["spoiler"],
        "created_at": timezone.now(),
        "author_verified": False,
    }
    return s.COMMENT_SUBMITTED.to_representation(answer)


class CommentReportView(PublicAPIView):
    @extend_schema(
        operation_id="comment_reports_create",
        tags=["public"],
        summary="Report a published comment",
        request=s.CommentReportInputSerializer,
        responses={
            201: s.CommentReportOutputSerializer,
            **PUBLIC_WRITE_ERRORS,
            **SIGN_IN_ERRORS,
        },
    )
    @transaction.atomic  # a signed-in reader is saved with their report, or not at all
    def post(self, request: Request, pk: int) -> Response:
        comment = (
            Comment.objects.filter(pk=pk, status=Status.APPROVED).select_related("article").first()
        )
        if comment is None:
            raise Http404("No such comment.")
        article = published_article_or_404(comment.article.slug)
        data = s.CommentReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reader = request_reader(request, article.site)
        try:
            report = comment_report(
                comment=comment,
                reason=data.validated_data["reason"],
                text=data.validated_data.get("text", ""),
                ip_address=request_signals(request)["ip_address"],
                reader=reader,
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        return Response(
            s.CommentReportOutputSerializer(report).data, status=status.HTTP_201_CREATED
        )
