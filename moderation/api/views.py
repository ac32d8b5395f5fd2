"""The comments API: public forms and lists, the moderation desk, the model registry.

Views are thin: they validate input, call a selector or a service, and shape the answer.
"""

import hashlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    TokenAuthentication,
)
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import BaseParser, JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass

from articles.models import Article
from articles.selectors import article_get_published, comment_counts
from moderation.api import serializers as s
from moderation.api.errors import MODERATOR_ERRORS, PUBLIC_WRITE_ERRORS, errors
from moderation.api.filters import QUEUE_ORDERINGS, ClassifierModelFilter, CommentQueueFilter
from moderation.api.pagination import (
    CURSOR_PARAMETERS,
    KeysetOrdering,
    KeysetPagination,
    KeysFirstKeysetPagination,
)
from moderation.api.permissions import IsEditor, IsModerator
from moderation.api.throttles import PublicScopedThrottle
from moderation.bulk import BulkItem, BulkRefused, bulk_decider, comment_bulk_decide
from moderation.models import ClassifierModel, Comment, CommentReport, ModerationEvent
from moderation.selectors import comment_list_approved, comment_queue
from moderation.services import (
    CommentConflict,
    comment_approve,
    comment_mark_spam,
    comment_reject,
    comment_report,
    comment_set_spoiler,
    comment_submit,
)

Status = Comment.Status

_QUEUE_ORDERINGS = {
    name: KeysetOrdering.build(name, Comment, fields) for name, fields in QUEUE_ORDERINGS.items()
}
_POSTED_ORDER = KeysetOrdering.build("posted", Comment, ("created_at", "id"))
_REGISTRY_ORDER = KeysetOrdering.build("newest", ClassifierModel, ("-created_at", "-id"))


def drf_validation_error(error: DjangoValidationError) -> ValidationError:
    """A service's field errors as a 400 with the same keys."""
    if hasattr(error, "error_dict"):
        return ValidationError(error.message_dict)
    return ValidationError({"non_field_errors": error.messages})


def request_signals(request: Request) -> dict[str, Any]:
    """What the request tells about its sender, kept for classification and abuse handling."""
    return {
        "ip_address": request.META.get("REMOTE_ADDR") or None,
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
        "referrer": request.META.get("HTTP_REFERER", ""),
    }


def published_article_or_404(slug: str) -> Article:
    try:
        return article_get_published(slug=slug)
    except Article.DoesNotExist:
        raise Http404("No such article.") from None


class PublicAPIView(APIView):
    """No login and no session: the reader's forms, limited per IP address."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]
    throttle_classes = [PublicScopedThrottle]
    write_scope = "public_write"
    read_scope = "public_read"

    @property
    def throttle_scope(self) -> str:
        return self.read_scope if self.request.method in ("GET", "HEAD") else self.write_scope


class ModeratorMixin:
    # Token first, so an anonymous caller is told how to authenticate (401, not 403).
    authentication_classes: Sequence[type[BaseAuthentication]] = [
        TokenAuthentication,
        SessionAuthentication,
    ]
    permission_classes: Sequence["_PermissionClass"] = [IsModerator]
    parser_classes: Sequence[type[BaseParser]] = [JSONParser]


class EditorMixin(ModeratorMixin):
    permission_classes: Sequence["_PermissionClass"] = [IsEditor]


# --- Public -------------------------------------------------------------------


class ArticleCommentsView(PublicAPIView):
    write_scope = "comment_submit"
    pagination_class = KeysetPagination

    def get_keyset_ordering(self, request: Request) -> KeysetOrdering:
        return _POSTED_ORDER

    @extend_schema(
        operation_id="article_comments_list",
        tags=["public"],
        summary="An article's published comments",
        description=(
            "Approved comments, oldest first, in cursor pages. Replies are linked by "
            "`parent`. Spoilers are included with `is_spoiler` set, for the reader to reveal."
        ),
        responses={200: s.PublicCommentSerializer(many=True), **errors(400, 404, 429)},
        parameters=CURSOR_PARAMETERS,
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
            rows = paginator.paginate_queryset(
                comment_list_approved(article=article), request, self
            )
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
        responses={201: s.CommentSubmittedSerializer, **PUBLIC_WRITE_ERRORS},
    )
    def post(self, request: Request, slug: str) -> Response:
        article = published_article_or_404(slug)
        data = s.CommentSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        if fields.get("website"):
            return Response(_honeypot_answer(fields), status=status.HTTP_201_CREATED)
        parent = None
        if fields.get("parent") is not None:
            parent = Comment.objects.filter(pk=fields["parent"]).first()
            if parent is None:
                raise ValidationError({"parent": ["No such comment."]})
        try:
            comment = comment_submit(
                article=article,
                author_name=fields["author_name"],
                author_email=fields.get("author_email", ""),
                body=fields["body"],
                parent=parent,
                spoiler_tag=fields["spoiler"],
                **request_signals(request),
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        answer = {
            "id": comment.pk,
            "status": comment.status,
            "parent": comment.parent_id,
            "author_name": comment.author_name,
            "body": comment.body,
            "is_spoiler": comment.is_spoiler,
            "created_at": comment.created_at,
        }
        return Response(s.CommentSubmittedSerializer(answer).data, status=status.HTTP_201_CREATED)


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


# --- Moderators: the queue and a comment --------------------------------------


def desk_comments() -> QuerySet[Comment]:
    """Comments with their article, decider and the author's record, in one query."""
    # The article's text can run to many kilobytes; a queue item shows only its title.
    return comment_queue(queue=None).defer("article__body", "article__standfirst")


def attach_reports(comments: list[Comment]) -> list[Comment]:
    """Every comment's reports in one query, newest first, as `comment.report_list`.

    The same as prefetch_related("reports") but without building a related manager and
    queryset per comment, which cost more than the query itself on a page of 50.
    """
    by_comment: dict[int, list[CommentReport]] = {c.pk: [] for c in comments}
    if by_comment:
        for report in CommentReport.objects.filter(comment_id__in=by_comment).order_by(
            "-created_at", "-id"
        ):
            by_comment[report.comment_id].append(report)
    for comment in comments:
        comment.report_list = by_comment[comment.pk]  # type: ignore[attr-defined]
    return comments


class QueueView(ModeratorMixin, generics.ListAPIView[Comment]):
    serializer_class = s.QueueCommentSerializer
    filterset_class = CommentQueueFilter
    pagination_class = KeysFirstKeysetPagination

    def get_queryset(self) -> QuerySet[Comment]:
        return desk_comments()

    def paginate_queryset(self, queryset: QuerySet[Comment, Any]) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        return None if page is None else attach_reports(page)

    def get_keyset_ordering(self, request: Request) -> KeysetOrdering:
        # Already validated by the filter set; "priority" when absent.
        return _QUEUE_ORDERINGS[request.query_params.get("ordering") or "priority"]

    @extend_schema(
        operation_id="moderation_queue",
        tags=["moderation"],
        summary="The moderation queue",
        description=(
            "Comments awaiting a person, by priority (the most uncertain decision, then the "
            "oldest, first) unless `ordering` says otherwise. Cursor pages of 50."
        ),
        responses={200: s.QueueCommentSerializer(many=True), **errors(400, 401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


def _comment_for_desk(pk: int, *, with_events: bool = False) -> Comment:
    comments = desk_comments()
    if with_events:
        comments = comments.prefetch_related(
            Prefetch("events", queryset=ModerationEvent.objects.select_related("actor"))
        )
    comment = comments.filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment.")
    return attach_reports([comment])[0]


def _with_etag(response: Response, comment: Comment) -> Response:
    response["ETag"] = s.comment_etag(comment)
    return response


_ETAG_HEADER = OpenApiResponse(
    response=s.CommentDetailSerializer, description="The comment; its ETag is in the header."
)


class CommentDetailView(ModeratorMixin, APIView):
    @extend_schema(
        operation_id="moderation_comment_detail",
        tags=["moderation"],
        summary="A comment with its history",
        responses={200: _ETAG_HEADER, **MODERATOR_ERRORS, **errors(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        comment = _comment_for_desk(pk, with_events=True)
        return _with_etag(Response(s.CommentDetailSerializer(comment).data), comment)


_IF_MATCH = OpenApiParameter(
    name="If-Match",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="The comment's ETag as you saw it; an alternative to `expected_status`.",
)


def _etag_matches(header: str, comment: Comment) -> bool:
    tags = [tag.strip() for tag in header.split(",")]
    return "*" in tags or s.comment_etag(comment) in tags


class DecisionView(ModeratorMixin, APIView):
    """One decision on one comment, refused with 409 if the comment has moved on."""

    input_serializer: type[s.DecisionSerializer] = s.DecisionSerializer

    def decide(
        self, *, comment_id: int, actor: AbstractBaseUser, expected: str, data: dict[str, Any]
    ) -> Comment:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        expected = data.validated_data.get("expected_status")
        if_match = request.headers.get("If-Match", "").strip()
        if expected is None and not if_match:
            raise ValidationError(
                {
                    "expected_status": [
                        "Send the status you saw, or an If-Match header with the comment's ETag."
                    ]
                }
            )
        try:
            with transaction.atomic():
                comment = Comment.objects.select_for_update().filter(pk=pk).first()
                if comment is None:
                    raise Http404("No such comment.")
                if if_match and not _etag_matches(if_match, comment):
                    raise CommentConflict(comment)
                self.decide(
                    comment_id=pk,
                    actor=request.user,  # type: ignore[arg-type]
                    expected=expected or comment.status,
                    data=data.validated_data,
                )
        except CommentConflict:
            current = _comment_for_desk(pk)
            body = {
                "detail": f"Someone else decided first: the comment is now {current.status}.",
                "current": s.QueueCommentSerializer(current).data,
            }
            return _with_etag(Response(body, status=status.HTTP_409_CONFLICT), current)
        comment = _comment_for_desk(pk, with_events=True)
        return _with_etag(Response(s.CommentDetailSerializer(comment).data), comment)


def _decision_schema(action: str, summary: str, request: type[Any]) -> Callable[[Any], Any]:
    return extend_schema(
        operation_id=f"moderation_comment_{action}",
        tags=["moderation"],
        summary=summary,
        request=request,
        parameters=[_IF_MATCH],
        responses={
            200: _ETAG_HEADER,
            **errors(400),
            **MODERATOR_ERRORS,
            **errors(404),
            409: OpenApiResponse(
                response=s.ConflictSerializer,
                description="Someone else decided first; `current` is the comment now.",
            ),
        },
    )


class ApproveView(DecisionView):
    def decide(
        self, *, comment_id: int, actor: AbstractBaseUser, expected: str, data: dict[str, Any]
    ) -> Comment:
        return comment_approve(comment_id=comment_id, actor=actor, expected_status=expected)

    @_decision_schema("approve", "Approve (publish) a comment", s.DecisionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class RejectView(DecisionView):
    input_serializer = s.RejectDecisionSerializer

    def decide(
        self, *, comment_id: int, actor: AbstractBaseUser, expected: str, data: dict[str, Any]
    ) -> Comment:
        return comment_reject(
            comment_id=comment_id,
            actor=actor,
            reason_code=data["reason_code"],
            reason_text=data.get("reason_text", ""),
            expected_status=expected,
        )

    @_decision_schema("reject", "Reject a comment with a reason", s.RejectDecisionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class SpamView(DecisionView):
    def decide(
        self, *, comment_id: int, actor: AbstractBaseUser, expected: str, data: dict[str, Any]
    ) -> Comment:
        return comment_mark_spam(comment_id=comment_id, actor=actor, expected_status=expected)

    @_decision_schema("spam", "Mark a comment as spam", s.DecisionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class SpoilerView(DecisionView):
    input_serializer = s.SpoilerDecisionSerializer

    def decide(
        self, *, comment_id: int, actor: AbstractBaseUser, expected: str, data: dict[str, Any]
    ) -> Comment:
        return comment_set_spoiler(
            comment_id=comment_id,
            actor=actor,
            is_spoiler=data["is_spoiler"],
            expected_status=expected,
        )

    @_decision_schema("spoiler", "Set or clear the spoiler flag", s.SpoilerDecisionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class BulkDecisionView(ModeratorMixin, APIView):
    @extend_schema(
        operation_id="moderation_comments_bulk",
        tags=["moderation"],
        summary="One decision on up to 500 comments, all or nothing",
        description=(
            "Every comment is locked and compared with the status its moderator saw. If any "
            "is missing (400) or has moved on (409), nothing changes and `results` tells "
            "which; otherwise all are decided, each with its own audit event."
        ),
        request=s.BulkDecisionSerializer,
        responses={
            200: s.BulkResultSerializer,
            **errors(400),
            **MODERATOR_ERRORS,
            409: OpenApiResponse(
                response=s.BulkResultSerializer, description="Some comments had moved on."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = s.BulkDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        decide = bulk_decider(
            action=fields["action"],
            actor=request.user,  # type: ignore[arg-type]
            reason_code=fields.get("reason_code", ""),
            reason_text=fields.get("reason_text", ""),
            is_spoiler=fields.get("is_spoiler", False),
        )
        items = [BulkItem(item["id"], item["expected_status"]) for item in fields["items"]]
        try:
            outcomes = comment_bulk_decide(
                items=items,
                actor=request.user,  # type: ignore[arg-type]
                decide=decide,
            )
        except BulkRefused as refused:
            body = {
                "detail": "Nothing was changed.",
                "applied": False,
                "results": [_outcome(o) for o in refused.outcomes],
            }
            code = status.HTTP_400_BAD_REQUEST if refused.has_missing else status.HTTP_409_CONFLICT
            return Response(body, status=code)
        return Response({"applied": True, "results": [_outcome(o) for o in outcomes]})


def _outcome(outcome: Any) -> dict[str, Any]:
    return {
        "id": outcome.comment_id,
        "outcome": outcome.outcome,
        "status": outcome.status,
        "is_spoiler": outcome.is_spoiler,
    }


# --- Editors: the model registry ----------------------------------------------


class ClassifierModelListView(EditorMixin, generics.ListAPIView[ClassifierModel]):
    serializer_class = s.ClassifierModelSerializer
    filterset_class = ClassifierModelFilter
    pagination_class = KeysetPagination

    def get_queryset(self) -> QuerySet[ClassifierModel]:
        # The artifact can be megabytes; the registry list never needs it.
        return ClassifierModel.objects.defer("artifact")

    def get_keyset_ordering(self, request: Request) -> KeysetOrdering:
        return _REGISTRY_ORDER

    @extend_schema(
        operation_id="moderation_models_list",
        tags=["models"],
        summary="The classifier registry, newest first, with held-out metrics",
        responses={200: s.ClassifierModelSerializer(many=True), **errors(400, 401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


RETRAIN_TASK = "moderation.tasks.retrain_models"
TRAINING_QUEUE = "training"


class RetrainView(EditorMixin, APIView):
    @extend_schema(
        operation_id="moderation_models_retrain",
        tags=["models"],
        summary="Retrain a classifier now",
        description=(
            "Queues a retraining on the training queue. The challenger is promoted only if "
            "it is not worse than the active model on the same held-out split; watch the "
            "registry for the outcome."
        ),
        request=s.RetrainSerializer,
        responses={202: s.RetrainQueuedSerializer, **errors(400, 401, 403, 503)},
    )
    def post(self, request: Request) -> Response:
        data = s.RetrainSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = data.validated_data["task"]
        from newsroom.celery import app as celery_app

        try:
            result = celery_app.send_task(RETRAIN_TASK, args=[task], queue=TRAINING_QUEUE)
        except Exception:  # kombu raises several unrelated types for an unreachable broker
            return Response(
                {"detail": "The task queue is unreachable; try again shortly."},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response(
            {"task": task, "task_id": result.id, "queue": TRAINING_QUEUE},
            status=status.HTTP_202_ACCEPTED,
        )


@csrf_exempt
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """A JSON 404 for any path under the API that names no endpoint (Django's is HTML)."""
    return JsonResponse({"detail": "Not found."}, status=404)
