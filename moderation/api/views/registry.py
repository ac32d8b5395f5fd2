"""The editors' side: the classifier registry and retraining."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from moderation.api import serializers as s
from moderation.api.filters import ClassifierModelFilter
from moderation.models import ClassifierModel
from moderation.queueing import RETRAIN_MODELS, enqueue_retrain, queue_of
from moderation.registry import (
    ShadowStateConflict,
    ShadowTaskMismatch,
    classifier_shadow_discard,
    classifier_shadow_ensure_free,
    classifier_shadow_promote,
    classifier_shadow_start,
)
from newsroom.api.errors import errors
from newsroom.api.pagination import KeysetOrdering, KeysetPagination
from newsroom.api.views import EditorMixin

_REGISTRY_ORDER = KeysetOrdering.build("newest", ClassifierModel, ("-created_at", "-id"))


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
        responses={
            202: s.RetrainQueuedSerializer,
            409: OpenApiResponse(
                response=s.ShadowConflictSerializer, description="The task has a shadow already."
            ),
            **errors(400, 401, 403, 503),
        },
    )
    def post(self, request: Request) -> Response:
        data = s.RetrainSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task, shadow = data.validated_data["task"], data.validated_data["shadow"]
        if shadow:
            try:
                classifier_shadow_ensure_free(task=task)
            except ShadowStateConflict as error:
                return _conflict(str(error), error.model)
        try:
            task_id = enqueue_retrain(task, shadow=shadow)
        except Exception:  # kombu raises several unrelated types for an unreachable broker
            return Response(
                {"detail": "The task queue is unreachable; try again shortly."},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response(
            {
                "task": task,
                "shadow": shadow,
                "task_id": task_id,
                "queue": queue_of(RETRAIN_MODELS),
            },
            status=status.HTTP_202_ACCEPTED,
        )


def _conflict(detail: str, current: ClassifierModel) -> Response:
    return Response(
        {"detail": detail, "current": s.ClassifierModelSerializer(current).data},
        status=status.HTTP_409_CONFLICT,
    )


class _ShadowActionView(EditorMixin, APIView):
    """One change of a model's shadow state; the body names the task it must belong to."""

    service = staticmethod(classifier_shadow_start)

    def post(self, request: Request, pk: int) -> Response:
        data = s.ShadowActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            model = self.service(
                model_id=pk,
                task=data.validated_data["task"],
                actor=request.user,  # type: ignore[arg-type]
            )
        except ClassifierModel.DoesNotExist:
            return Response({"detail": "No such model."}, status=status.HTTP_404_NOT_FOUND)
        except ShadowTaskMismatch as error:
            return Response({"task": [str(error)]}, status=status.HTTP_400_BAD_REQUEST)
        except ShadowStateConflict as error:
            return _conflict(str(error), error.model)
        return Response(s.ClassifierModelSerializer(model).data)


def _shadow_schema(operation: str, summary: str, description: str) -> Any:
    return extend_schema(
        operation_id=f"moderation_models_{operation}",
        tags=["models"],
        summary=summary,
        description=description,
        request=s.ShadowActionSerializer,
        responses={
            200: s.ClassifierModelSerializer,
            409: OpenApiResponse(
                response=s.ShadowConflictSerializer,
                description="The registry is not in the state this needs; `current` says why.",
            ),
            **errors(400, 401, 403, 404),
        },
    )


class ShadowStartView(_ShadowActionView):
    service = staticmethod(classifier_shadow_start)

    @_shadow_schema(
        "shadow",
        "Put a stored challenger in shadow",
        "It scores live comments beside the active model without acting. Refused (409) while "
        "the task has another shadow, for the active model or a pruned one; a model of "
        "another task is a 400.",
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ShadowPromoteView(_ShadowActionView):
    service = staticmethod(classifier_shadow_promote)

    @_shadow_schema(
        "promote",
        "Make the task's shadow model the active one",
        "The active model is retired. Refused (409) unless the model is in shadow; a model "
        "of another task is a 400.",
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class ShadowDiscardView(_ShadowActionView):
    service = staticmethod(classifier_shadow_discard)

    @_shadow_schema(
        "discard",
        "Stop the task's shadow model",
        "The model is rejected; the scores it stored stay. Refused (409) unless it is in shadow.",
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)
