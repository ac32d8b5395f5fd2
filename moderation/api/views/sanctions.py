"""The moderators' side: bans and suspensions of commenters, listed, imposed and lifted."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from moderation.api import serializers as s
from moderation.models import CommenterSanction
from moderation.sanctions import (
    SanctionConflict,
    commenter_sanction_impose,
    commenter_sanction_lift,
)
from moderation.selectors import SANCTION_STATES, commenter_sanction_list
from newsroom.api.errors import MODERATOR_ERRORS, errors
from newsroom.api.pagination import KeysetOrdering, KeysetPagination
from newsroom.api.views import ModeratorMixin, drf_validation_error

_NEWEST = KeysetOrdering.build("newest", CommenterSanction, ("-created_at", "-id"))
_ALL = "all"

_STATE = OpenApiParameter(
    name="state",
    type=OpenApiTypes.STR,
    enum=[*SANCTION_STATES, _ALL],
    required=False,
    description="active (the default): in force now; expired: suspensions past their end; "
    "lifted: ended early by a person; all.",
)


class SanctionListView(ModeratorMixin, generics.ListAPIView[CommenterSanction]):
    serializer_class = s.CommenterSanctionSerializer
    pagination_class = KeysetPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[CommenterSanction]:
        state = self.request.query_params.get("state") or "active"
        if state not in {*SANCTION_STATES, _ALL}:
            raise ValidationError(
                {"state": [f"Choose one of: {', '.join([*SANCTION_STATES, _ALL])}."]}
            )
        return commenter_sanction_list(state=None if state == _ALL else state)

    def get_keyset_ordering(self, request: Request) -> KeysetOrdering:
        return _NEWEST

    @extend_schema(
        operation_id="moderation_sanctions_list",
        tags=["moderation"],
        summary="Bans and suspensions of commenters, newest first",
        parameters=[_STATE],
        responses={200: s.CommenterSanctionSerializer(many=True), **errors(400, 401, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="moderation_sanctions_create",
        tags=["moderation"],
        summary="Ban or suspend a commenter by email or email domain",
        description=(
            "A ban lasts until lifted; a suspension ends by itself at `until`. From then on, "
            "the commenter's new comments are rejected when scored, with the reason shown to "
            "moderators; the commenter is told nothing more than any reader whose comment "
            "awaits moderation. Refused (400, nothing written) for an address or domain that "
            "never commented, a malformed or widely shared domain, an empty reason, a "
            "suspension without a future end, or a sanction already in force."
        ),
        request=s.CommenterSanctionInputSerializer,
        responses={201: s.CommenterSanctionSerializer, **errors(400), **MODERATOR_ERRORS},
    )
    def post(self, request: Request) -> Response:
        data = s.CommenterSanctionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            sanction = commenter_sanction_impose(
                actor=request.user,  # type: ignore[arg-type]
                **data.validated_data,
            )
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        return Response(
            s.CommenterSanctionSerializer(sanction).data, status=status.HTTP_201_CREATED
        )


class SanctionLiftView(ModeratorMixin, APIView):
    @extend_schema(
        operation_id="moderation_sanctions_lift",
        tags=["moderation"],
        summary="Lift a ban or suspension",
        description="Kept on the sanction: who lifted it, when and why. Once only.",
        request=s.SanctionLiftSerializer,
        responses={
            200: s.CommenterSanctionSerializer,
            **errors(400),
            **MODERATOR_ERRORS,
            **errors(404),
            409: OpenApiResponse(
                response=s.CommenterSanctionSerializer,
                description="Already lifted; the body is the sanction as it is.",
            ),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        data = s.SanctionLiftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            sanction = commenter_sanction_lift(
                sanction_id=pk,
                actor=request.user,  # type: ignore[arg-type]
                reason=data.validated_data.get("reason", ""),
            )
        except CommenterSanction.DoesNotExist:
            raise Http404("No such sanction.") from None
        except DjangoValidationError as error:
            raise drf_validation_error(error) from None
        except SanctionConflict as conflict:
            return Response(
                s.CommenterSanctionSerializer(conflict.sanction).data,
                status=status.HTTP_409_CONFLICT,
            )
        return Response(s.CommenterSanctionSerializer(sanction).data)
