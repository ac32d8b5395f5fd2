"""The readers' side of the comments API: an article's comments, posting, reporting."""

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from articles.api.lookups import published_article_or_404
from articles.models import Article
from articles.reader_session import remember_own_comment
from articles.selectors import DEFAULT_SORT, SORTS, comment_counts
from moderation.api import serializers as s
from moderation.models import Comment
from moderation.selectors import comment_list_approved
from moderation.services import COMMENTS_CLOSED, comment_report, comment_submit
from newsroom.api.errors import PUBLIC_WRITE_ERRORS, ErrorSerializer, errors
from newsroom.api.pagination import CURSOR_PARAMETERS, KeysetOrdering, KeysetPagination
from newsroom.api.views import PublicAPIView, drf_validation_error, request_signals

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
    def get(self, request: Request, slug: str) -> Response:
        return Response(self._published_page(request, published_article_or_404(slug)))

    def _published_page(self, request: Request, article: Article) -> dict[str, Any]:
        """One page of published comments, shared by every reader for a short while.

        As on the reader page, the key holds how many comments are published and when
        one of them last changed (selectors.comment_counts), so a decision shows at once.
        """
        counts = comment_counts(article=article)
        changed = counts.changed_at.timestamp() if counts.changed_at else 0
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
        key = f"api:comments:{article.pk}:{counts.approved}:{changed}:{address}"
        page = cache.get(key)
        if page is None:
            paginator = KeysetPagination()
            comments = comment_list_approved(article=article)
            if _wants_picks(request):
                comments = comments.filter(featured_at__isnull=False, deleted_at__isnull=True)
            rows = paginator.paginate_queryset(comments, request, self)
            results = s.PublicCommentSerializer(rows, many=True).data
            # Plain dicts: DRF's ReturnList would pickle its serializer along.
            page = paginator.get_paginated_response([dict(item) for item in results]).data
            cache.set(key, page, settings.COMMENT_PAGE_CACHE_SECONDS)
        return page

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
            403: OpenApiResponse(
                response=ErrorSerializer, description="Comments are closed on this article."
            ),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        article = published_article_or_404(slug)
        if not article.accepts_comments:
            # Not a fault in the input: nothing the reader sends would be accepted.
            raise PermissionDenied(COMMENTS_CLOSED)
        data = s.CommentSubmitSerializer(data=request.data)
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
                **request_signals(request),
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        # The same browser may edit or delete it later (moderation.api.views.engagement).
        remember_own_comment(request._request, comment.pk)
        return Response(
            s.CommentSubmittedSerializer(submitted_answer(comment)).data,
            status=status.HTTP_201_CREATED,
        )


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
    }
    return s.CommentSubmittedSerializer(answer).data


class CommentReportView(PublicAPIView):
    @extend_schema(
        operation_id="comment_reports_create",
        tags=["public"],
        summary="Report a published comment",
        request=s.CommentReportInputSerializer,
        responses={201: s.CommentReportOutputSerializer, **PUBLIC_WRITE_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        comment = (
            Comment.objects.filter(pk=pk, status=Status.APPROVED).select_related("article").first()
        )
        if comment is None:
            raise Http404("No such comment.")
        published_article_or_404(comment.article.slug)
        data = s.CommentReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            report = comment_report(
                comment=comment,
                reason=data.validated_data["reason"],
                text=data.validated_data.get("text", ""),
                ip_address=request_signals(request)["ip_address"],
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        return Response(
            s.CommentReportOutputSerializer(report).data, status=status.HTTP_201_CREATED
        )
