"""The editors' side: the classifier registry and retraining."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from moderation.api import serializers as s
from moderation.api.filters import ClassifierModelFilter
from moderation.models import ClassifierModel
from moderation.queueing import RETRAIN_MODELS, enqueue_retrain, queue_of
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
        responses={202: s.RetrainQueuedSerializer, **errors(400, 401, 403, 503)},
    )
    def post(self, request: Request) -> Response:
        data = s.RetrainSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = data.validated_data["task"]
        try:
            task_id = enqueue_retrain(task)
        except Exception:  # kombu raises several unrelated types for an unreachable broker
            return Response(
                {"detail": "The task queue is unreachable; try again shortly."},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response(
            {"task": task, "task_id": task_id, "queue": queue_of(RETRAIN_MODELS)},
            status=status.HTTP_202_ACCEPTED,
        )
