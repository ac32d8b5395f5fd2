"""The correction-request API: the reader's form and the editors' inbox."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from articles import services
from articles.api import serializers as s
from articles.api.filters import CorrectionRequestFilter
from articles.api.lookups import published_article_or_404
from articles.api.sign_in import SIGN_IN_ERRORS, request_reader
from articles.models import CorrectionRequest
from newsroom.api.errors import PUBLIC_WRITE_ERRORS, errors
from newsroom.api.pagination import KeysetOrdering, KeysetPagination
from newsroom.api.views import EditorMixin, PublicAPIView, drf_validation_error, request_signals

_INBOX_ORDER = KeysetOrdering.build("newest", CorrectionRequest, ("-created_at", "-id"))


class CorrectionRequestSubmitView(PublicAPIView):
    @extend_schema(
        operation_id="article_correction_requests_create",
        tags=["public"],
        summary="Suggest a correction or clarification to an article",
        description=(
            "The quote must be words of the article: the server finds them in its own "
            "copy (the paragraph and offset sent are hints for repeated words) and stores "
            "the context around them; words not in the article are a 400 on `quote`. A "
            "request that fills the hidden `website` field is answered with 201 and "
            "`id: null`, and dropped."
        ),
        request=s.CorrectionRequestSubmitSerializer,
        responses={
            201: s.CorrectionRequestSubmittedSerializer,
            **PUBLIC_WRITE_ERRORS,
            **SIGN_IN_ERRORS,
        },
    )
    @transaction.atomic  # a signed-in reader is saved with their request, or not at all
    def post(self, request: Request, slug: str) -> Response:
        article = published_article_or_404(slug)
        data = s.CorrectionRequestSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if fields.pop("website", ""):
            answer = {"id": None, "status": "new", "created_at": timezone.now()}
            return Response(
                s.CorrectionRequestSubmittedSerializer(answer).data, status=status.HTTP_201_CREATED
            )
        reader = request_reader(request, article.site)
        try:
            created = services.correction_request_submit(
                article=article,
                ip_address=request_signals(request)["ip_address"],
                reader=reader,
                **fields,
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        return Response(
            s.CorrectionRequestSubmittedSerializer(created).data, status=status.HTTP_201_CREATED
        )


def inbox_requests() -> QuerySet[CorrectionRequest]:
    return CorrectionRequest.objects.select_related("article", "correction", "handled_by", "thanks")


def _request_or_404(pk: int) -> CorrectionRequest:
    found = inbox_requests().filter(pk=pk).first()
    if found is None:
        raise Http404("No such correction request.")
    return found


class CorrectionInboxView(EditorMixin, generics.ListAPIView[CorrectionRequest]):
    serializer_class = s.CorrectionRequestSerializer
    filterset_class = CorrectionRequestFilter
    pagination_class = KeysetPagination

    def get_queryset(self) -> QuerySet[CorrectionRequest]:
        return inbox_requests()

    def get_keyset_ordering(self, request: Request) -> KeysetOrdering:
        return _INBOX_ORDER

    @extend_schema(
        operation_id="moderation_corrections_list",
        tags=["corrections"],
        summary="The corrections inbox, newest first",
        responses={200: s.CorrectionRequestSerializer(many=True), **errors(400, 401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CorrectionRequestDetailView(EditorMixin, APIView):
    @extend_schema(
        operation_id="moderation_corrections_detail",
        tags=["corrections"],
        summary="A correction request",
        responses={200: s.CorrectionRequestSerializer, **errors(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.CorrectionRequestSerializer(_request_or_404(pk)).data)


class CorrectionActionView(EditorMixin, APIView):
    """A step in a request's life; 409 with its current state if it is already closed."""

    input_serializer: type[Any] | None = None

    def act(self, *, pk: int, actor: AbstractBaseUser, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        data: dict[str, Any] = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        _request_or_404(pk)
        try:
            self.act(pk=pk, actor=request.user, data=data)  # type: ignore[arg-type]
        except services.CorrectionRequestConflict:
            current = _request_or_404(pk)
            body = {
                "detail": f"The request is already {current.status}.",
                "current": s.CorrectionRequestSerializer(current).data,
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        return Response(s.CorrectionRequestSerializer(_request_or_404(pk)).data)


def _action_schema(action: str, summary: str, request: type[Any] | None) -> Callable[[Any], Any]:
    return extend_schema(
        operation_id=f"moderation_corrections_{action}",
        tags=["corrections"],
        summary=summary,
        request=request,
        responses={
            200: s.CorrectionRequestSerializer,
            **errors(400, 401, 403, 404),
            409: OpenApiResponse(
                response=s.CorrectionConflictSerializer,
                description="The request is closed already; `current` is its state.",
            ),
        },
    )


class StartView(CorrectionActionView):
    def act(self, *, pk: int, actor: AbstractBaseUser, data: dict[str, Any]) -> None:
        services.correction_request_start(request_id=pk, actor=actor)

    @_action_schema("start", "Start work on a new request", None)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ResolveView(CorrectionActionView):
    input_serializer = s.ResolveSerializer

    def act(self, *, pk: int, actor: AbstractBaseUser, data: dict[str, Any]) -> None:
        services.correction_requests_resolve(
            request_id=pk,
            actor=actor,
            correction_text=data["correction_text"],
            also=data.get("also", []),
        )

    @_action_schema("resolve", "Publish a correction and resolve the request", s.ResolveSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class RejectView(CorrectionActionView):
    input_serializer = s.RejectSerializer

    def act(self, *, pk: int, actor: AbstractBaseUser, data: dict[str, Any]) -> None:
        services.correction_request_reject(request_id=pk, actor=actor, note=data.get("note", ""))

    @_action_schema("reject", "Reject the request, with a note", s.RejectSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class DuplicateView(CorrectionActionView):
    input_serializer = s.DuplicateSerializer

    def act(self, *, pk: int, actor: AbstractBaseUser, data: dict[str, Any]) -> None:
        services.correction_request_mark_duplicate(
            request_id=pk, actor=actor, duplicate_of_id=data["duplicate_of"]
        )

    @_action_schema("duplicate", "Mark the request a duplicate of another", s.DuplicateSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)
