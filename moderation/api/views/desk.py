"""The moderators' side: the queue, one comment, decisions one at a time and in bulk,
dismissing reports and undoing a decision."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from moderation.api import serializers as s
from moderation.api.filters import QUEUE_ORDERINGS, CommentQueueFilter
from moderation.bulk import BulkItem, BulkRefused, bulk_decider, comment_bulk_decide
from moderation.models import Comment, CommentReport, ModerationEvent
from moderation.permissions import OUT_OF_SCOPE, comments_in_scope, comments_out_of_scope
from moderation.policy import UNDO_WINDOW
from moderation.selectors import comment_queue
from moderation.services import (
    CommentConflict,
    comment_approve,
    comment_dismiss_reports,
    comment_mark_spam,
    comment_reject,
    comment_set_spoiler,
    comment_undo,
)
from moderation.trust import attach_standing, standings_by_email
from newsroom.api.errors import MODERATOR_ERRORS, errors
from newsroom.api.pagination import KeysetOrdering, KeysFirstKeysetPagination
from newsroom.api.views import ModeratorMixin, drf_validation_error

_QUEUE_ORDERINGS = {
    name: KeysetOrdering.build(name, Comment, fields) for name, fields in QUEUE_ORDERINGS.items()
}


def desk_comments() -> QuerySet[Comment]:
    """Comments with their article, decider and the author's record, in one query."""
    # The article's text can run to many kilobytes; a queue item shows only its title.
    return comment_queue(queue=None).defer("article__body", "article__standfirst")


def reports_by_comment(comment_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Every comment's reports in one query, newest first, as plain values."""
    by_comment: dict[int, list[dict[str, Any]]] = {pk: [] for pk in comment_ids}
    if by_comment:
        reports = CommentReport.objects.filter(comment_id__in=by_comment).order_by(
            "-created_at", "-id"
        )
        for report in reports.values("comment_id", *s.REPORT_VALUES):
            by_comment[report.pop("comment_id")].append(report)
    return by_comment


def attach_reports(comments: list[Comment]) -> list[Comment]:
    """Every comment's reports in one query, newest first, as `comment.report_list`.

    The same as prefetch_related("reports") but without building a related manager and
    queryset per comment, which cost more than the query itself on a page of 50.
    """
    by_comment = reports_by_comment([c.pk for c in comments])
    for comment in comments:
        comment.report_list = by_comment[comment.pk]  # type: ignore[attr-defined]
    return comments


def attach_to_rows(rows: list[s.QueueRow]) -> list[s.QueueRow]:
    """A page of queue rows with their reports and commenter standing (one query each)."""
    by_comment = reports_by_comment([row["id"] for row in rows])
    found = standings_by_email({row["id"]: row["author_email"] for row in rows})
    for row in rows:
        row["report_list"] = by_comment[row["id"]]
        row["commenter_standing"] = found[row["id"]]
    return rows


class QueuePagination(KeysFirstKeysetPagination):
    def load(self, page: QuerySet[Any], keys: QuerySet[Any]) -> QuerySet[Any]:
        # The page as plain rows with the names it shows (article, section, deciders),
        # not model instances: 50 comments, each with its article, section, parent and
        # two users, were 300 instances built per page. The joins for those names stay
        # out of the inner select, which walks the covering index alone (with them
        # PostgreSQL reads the table: 209 ms instead of 12 for the filtered page at 1M).
        rows = s.queue_rows(desk_comments()).filter(pk__in=keys)
        return rows.order_by(*page.query.order_by)


class QueueView(ModeratorMixin, generics.ListAPIView[Comment]):
    serializer_class = s.QueueCommentSerializer
    filterset_class = CommentQueueFilter
    pagination_class = QueuePagination

    def get_queryset(self) -> QuerySet[Comment]:
        # A moderator named in some sections sees only those (and the open ones). Only the
        # page's keys are found on this queryset (QueuePagination loads the rows): the
        # filters read columns and the article, so the desk's joins and author-history
        # subqueries would only be built and compiled to be left out.
        return comments_in_scope(Comment.objects.all(), self.request.user)

    def paginate_queryset(self, queryset: QuerySet[Comment, Any]) -> list[Any] | None:
        rows = super().paginate_queryset(queryset)
        return None if rows is None else attach_to_rows(rows)

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


def _check_scope(request: Request, comment_ids: list[int]) -> None:
    """403, with the reason, for a comment in a section the caller does not moderate."""
    if comments_out_of_scope(request.user, comment_ids):
        raise PermissionDenied(OUT_OF_SCOPE)


def _comment_for_desk(pk: int, *, with_events: bool = False) -> Comment:
    comments = desk_comments()
    if with_events:
        comments = comments.prefetch_related(
            Prefetch("events", queryset=ModerationEvent.objects.select_related("actor"))
        )
    comment = comments.filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment.")
    return attach_reports(attach_standing([comment]))[0]


def _with_etag(response: Response, comment: Comment) -> Response:
    response["ETag"] = comment.etag
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
        _check_scope(request, [pk])
        return _with_etag(Response(s.CommentDetailSerializer(comment).data), comment)


_IF_MATCH = OpenApiParameter(
    name="If-Match",
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "The comment's ETag as you saw it; an alternative to `expected_status`. "
        "`*` is refused (400): it would decide whatever the comment is now."
    ),
)


def _expected_etag(header: str) -> str | None:
    """The one ETag the caller saw, from If-Match; a blind `*` or a list is a 400."""
    if not header:
        return None
    tags = [tag.strip() for tag in header.split(",") if tag.strip()]
    if "*" in tags:
        raise ValidationError(
            {
                "If-Match": [
                    "`*` would decide whatever the comment is now. Send its ETag as you saw it."
                ]
            }
        )
    if len(tags) != 1:
        raise ValidationError({"If-Match": ["Send the one ETag you saw."]})
    return tags[0]


class DecisionView(ModeratorMixin, APIView):
    """One decision on one comment, refused with 409 if the comment has moved on.

    What the caller saw (status, ETag, or both) goes into the service, which compares it
    inside its row lock: one lock, in one place.
    """

    input_serializer: type[s.DecisionSerializer] = s.DecisionSerializer

    def decide(
        self,
        *,
        comment_id: int,
        actor: AbstractBaseUser,
        expected_status: str | None,
        expected_etag: str | None,
        data: dict[str, Any],
    ) -> Comment:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        expected_status = data.validated_data.get("expected_status")
        expected_etag = _expected_etag(request.headers.get("If-Match", "").strip())
        if expected_status is None and expected_etag is None:
            raise ValidationError(
                {
                    "expected_status": [
                        "Send the status you saw, or an If-Match header with the comment's ETag."
                    ]
                }
            )
        _check_scope(request, [pk])
        try:
            self.decide(
                comment_id=pk,
                actor=request.user,  # type: ignore[arg-type]
                expected_status=expected_status,
                expected_etag=expected_etag,
                data=data.validated_data,
            )
        except Comment.DoesNotExist:
            raise Http404("No such comment.") from None
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
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
    def decide(self, *, data: dict[str, Any], **seen: Any) -> Comment:
        return comment_approve(**seen)

    @_decision_schema("approve", "Approve (publish) a comment", s.DecisionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class RejectView(DecisionView):
    input_serializer = s.RejectDecisionSerializer

    def decide(self, *, data: dict[str, Any], **seen: Any) -> Comment:
        return comment_reject(
            reason_code=data["reason_code"], reason_text=data.get("reason_text", ""), **seen
        )

    @_decision_schema("reject", "Reject a comment with a reason", s.RejectDecisionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class SpamView(DecisionView):
    def decide(self, *, data: dict[str, Any], **seen: Any) -> Comment:
        return comment_mark_spam(**seen)

    @_decision_schema("spam", "Mark a comment as spam", s.DecisionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class SpoilerView(DecisionView):
    input_serializer = s.SpoilerDecisionSerializer

    def decide(self, *, data: dict[str, Any], **seen: Any) -> Comment:
        return comment_set_spoiler(is_spoiler=data["is_spoiler"], **seen)

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
        outside = comments_out_of_scope(request.user, [item.comment_id for item in items])
        if outside:
            body = {"detail": f"{OUT_OF_SCOPE} Nothing was changed.", "applied": False}
            return Response({**body, "ids": outside}, status=status.HTTP_403_FORBIDDEN)
        try:
            outcomes = comment_bulk_decide(
                items=items,
                actor=request.user,  # type: ignore[arg-type]
                decide=decide,
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
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


# --- taking back: dismissing reports, undoing a decision ---------------------------


def _answer(comment_id: int) -> Response:
    comment = _comment_for_desk(comment_id, with_events=True)
    return _with_etag(Response(s.CommentDetailSerializer(comment).data), comment)


class DismissReportsView(ModeratorMixin, APIView):
    @extend_schema(
        operation_id="moderation_comment_dismiss_reports",
        tags=["moderation"],
        summary="Keep a comment and close its open reports",
        description=(
            "A comment its reports held for review goes back to where it was. 400 with the "
            "reason, nothing written, for a comment that is gone, erased or has no open "
            "reports."
        ),
        request=s.DismissReportsSerializer,
        responses={
            200: s.CommentDetailSerializer,
            **errors(400),
            **MODERATOR_ERRORS,
            **errors(404),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        data = s.DismissReportsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _check_scope(request, [pk])
        try:
            comment = comment_dismiss_reports(
                comment_id=pk,
                actor=request.user,  # type: ignore[arg-type]
                reason_text=data.validated_data.get("reason_text", ""),
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        return _answer(comment.pk)


class UndoView(ModeratorMixin, APIView):
    @extend_schema(
        operation_id="moderation_event_undo",
        tags=["moderation"],
        summary="Undo a person's decision or dismissal (an event of a comment's history)",
        description=(
            f"Within {int(UNDO_WINDOW.total_seconds())} seconds, or later with "
            "`from_history`. 400 with the reason when someone acted on the comment since, "
            "it was already undone, or it is not a decision."
        ),
        request=s.UndoSerializer,
        responses={
            200: s.CommentDetailSerializer,
            **errors(400),
            **MODERATOR_ERRORS,
            **errors(404),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        data = s.UndoSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment_id = ModerationEvent.objects.filter(pk=pk).values_list("comment_id", flat=True)
        if not comment_id:
            raise Http404("No such event.")
        _check_scope(request, [comment_id[0]])
        window: Any = None if data.validated_data["from_history"] else UNDO_WINDOW
        try:
            comment = comment_undo(
                event_id=pk,
                actor=request.user,  # type: ignore[arg-type]
                window=window,
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        return _answer(comment.pk)
