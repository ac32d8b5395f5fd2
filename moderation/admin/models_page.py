"""Model health: one page per task with the active model, its history, metrics and retraining."""

import logging
from datetime import datetime
from typing import Any

from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from moderation.admin import charts
from moderation.admin.stats import model_agreement
from moderation.calibration.selectors import fitted_threshold_for
from moderation.calibration.services import TargetPrecisionError, fitted_threshold_target_set
from moderation.classifier.spoiler_cues import CUE_EXPLANATIONS
from moderation.models import ClassifierModel
from moderation.queueing import enqueue_retrain
from moderation.registry import (
    ShadowError,
    classifier_shadow_discard,
    classifier_shadow_promote,
)
from moderation.shadow import shadow_comparison

logger = logging.getLogger(__name__)

Task = ClassifierModel.Task
HISTORY_SHOWN = 20
METRIC_NAMES = [
    ("precision", "Precision"),
    ("recall", "Recall"),
    ("f1", "F1"),
    ("roc_auc", "ROC-AUC"),
    ("accuracy", "Accuracy"),
]


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def confusion_counts(metrics: dict[str, Any]) -> dict[str, int] | None:
    """tp, fp, tn, fn from the metrics, whichever shape they were stored in."""
    source: Any = metrics
    confusion = metrics.get("confusion")
    if isinstance(confusion, dict):
        source = confusion
    elif (
        isinstance(confusion, list)
        and len(confusion) == 2
        and all(isinstance(row, list) and len(row) == 2 for row in confusion)
    ):
        # scikit-learn's layout: [[tn, fp], [fn, tp]]
        (tn, fp), (fn, tp) = confusion
        source = {"tn": tn, "fp": fp, "fn": fn, "tp": tp}
    counts = {key: _number(source.get(key)) for key in ("tp", "fp", "tn", "fn")}
    if any(value is None for value in counts.values()):
        return None
    return {key: int(value or 0) for key, value in counts.items()}


def pr_points(metrics: dict[str, Any]) -> list[tuple[float, float, float]]:
    points = []
    for entry in metrics.get("pr_curve") or []:
        if isinstance(entry, list | tuple) and len(entry) >= 3:
            threshold, precision, recall = (_number(v) for v in entry[:3])
            if threshold is not None and precision is not None and recall is not None:
                points.append((threshold, precision, recall))
    return points


def _retrain_key(task: str) -> str:
    return f"desk:retrain-requested:{task}"


def retrain_requested_at(task: str) -> datetime | None:
    value = cache.get(_retrain_key(task))
    return parse_datetime(value) if isinstance(value, str) else None


def retrain_enqueue(task: str, *, shadow: bool = False) -> None:
    """Queue retraining on the training queue, by name: the web process needs no training code."""
    enqueue_retrain(task, shadow=shadow)
    cache.set(_retrain_key(task), timezone.now().isoformat(), timeout=6 * 3600)


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    list_display = ("task", "short_version", "state", "training_size", "created_at")
    list_filter = ("task", "state")
    exclude = ("artifact",)
    readonly_fields = [f.name for f in ClassifierModel._meta.fields if f.name != "artifact"]

    class Media:
        css = {"all": ["moderation/desk.css"]}

    @admin.display(description="Version")
    def short_version(self, model: ClassifierModel) -> str:
        return model.version[:12]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ClassifierModel]:
        return super().get_queryset(request).defer("artifact")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        wrap = self.admin_site.admin_view
        return [
            path("task/<str:task>/", wrap(self.task_view), name="moderation_classifiermodel_task"),
            path(
                "task/<str:task>/retrain/",
                wrap(require_POST(self.retrain_view)),
                name="moderation_classifiermodel_retrain",
            ),
            path(
                "task/<str:task>/target-precision/",
                wrap(require_POST(self.target_precision_view)),
                name="moderation_classifiermodel_target_precision",
            ),
            path(
                "task/<str:task>/shadow/<int:model_id>/<str:action>/",
                wrap(require_POST(self.shadow_view)),
                name="moderation_classifiermodel_shadow",
            ),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The list of models opens on the spam task's page; the table stays a click away."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "GET" and not request.GET:
            return HttpResponseRedirect(
                reverse("admin:moderation_classifiermodel_task", args=[Task.SPAM])
            )
        return super().changelist_view(request, extra_context)

    def _check_task(self, request: HttpRequest, task: str) -> None:
        if not self.has_view_permission(request):
            raise PermissionDenied
        if task not in Task.values:
            raise Http404("No such task.")

    def task_view(self, request: HttpRequest, task: str) -> HttpResponse:
        self._check_task(request, task)
        history = list(ClassifierModel.objects.filter(task=task).defer("artifact")[:HISTORY_SHOWN])
        active = next((m for m in history if m.state == ClassifierModel.State.ACTIVE), None)
        if active is None:
            active = (
                ClassifierModel.objects.filter(task=task, state=ClassifierModel.State.ACTIVE)
                .defer("artifact")
                .first()
            )
        shown = active or (history[0] if history else None)
        # The newest model, when it did not replace the active one: its figures beside
        # the active model's on the same held-out texts, stored when it was trained.
        challenger = history[0] if history and active and history[0] != active else None
        shadow = (
            ClassifierModel.objects.filter(task=task, state=ClassifierModel.State.SHADOW)
            .defer("artifact")
            .first()
        )
        requested = retrain_requested_at(task)
        waiting = requested is not None and not any(m.created_at >= requested for m in history)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{Task(task).label} model",
            "opts": self.opts,
            "media": self.media,
            "task": task,
            "tasks": Task.choices,
            "active": active,
            "shown": shown,
            "history": history,
            "metrics": _metric_rows(shown),
            "compared_version": _compared_version(shown),
            "challenger": challenger,
            "challenger_metrics": _metric_rows(challenger),
            "challenger_compared_version": _compared_version(challenger),
            "confusion": _confusion_svg(shown, task),
            "pr_curve": _pr_svg(shown),
            "agreement": model_agreement(task=task),
            "shadow": shadow_comparison(shadow) if shadow else None,
            "requested_at": requested,
            "waiting": waiting,
            "can_retrain": self.has_change_permission(request),
            "table_url": reverse("admin:moderation_classifiermodel_changelist") + f"?task={task}",
            "fitted": fitted_threshold_for(task=task),
            "cue_reasons": CUE_EXPLANATIONS.items() if task == Task.SPOILER else (),
        }
        return TemplateResponse(request, "admin/moderation/classifiermodel/task.html", context)

    def retrain_view(self, request: HttpRequest, task: str) -> HttpResponse:
        self._check_task(request, task)
        if not self.has_change_permission(request):
            raise PermissionDenied
        shadow = request.POST.get("shadow") == "1"
        try:
            retrain_enqueue(task, shadow=shadow)
        except Exception:  # kombu raises several unrelated types for an unreachable broker
            logger.exception("Could not queue retraining of the %s model", task)
            messages.error(request, "The training queue is unreachable; nothing was queued.")
        else:
            messages.success(
                request,
                "Retraining is queued on the training queue. The new model appears below when "
                + (
                    "it ends, in shadow beside the active model."
                    if shadow
                    else "it ends; it becomes active only if it is not worse than the current one."
                ),
            )
        return HttpResponseRedirect(reverse("admin:moderation_classifiermodel_task", args=[task]))

    def target_precision_view(self, request: HttpRequest, task: str) -> HttpResponse:
        """Set the precision the task's threshold is fitted for at each retrain (editors)."""
        self._check_task(request, task)
        if not self.has_change_permission(request):
            raise PermissionDenied
        back = HttpResponseRedirect(reverse("admin:moderation_classifiermodel_task", args=[task]))
        try:
            target = float(request.POST.get("target_precision", ""))
            fitted_threshold_target_set(task=task, target_precision=target, actor=request.user)  # type: ignore[arg-type]
        except (ValueError, TargetPrecisionError) as error:
            messages.error(request, f"Nothing changed: {error}")
            return back
        messages.success(
            request, f"Target precision set to {target:g}; it applies at the next retrain."
        )
        return back

    def shadow_view(
        self, request: HttpRequest, task: str, model_id: int, action: str
    ) -> HttpResponse:
        """Promote the task's shadow model or discard it (editors)."""
        self._check_task(request, task)
        if not self.has_change_permission(request):
            raise PermissionDenied
        services = {"promote": classifier_shadow_promote, "discard": classifier_shadow_discard}
        if action not in services:
            raise Http404("No such action.")
        try:
            model = services[action](model_id=model_id, task=task, actor=request.user)  # type: ignore[arg-type]
        except ClassifierModel.DoesNotExist as error:
            raise Http404("No such model.") from error
        except ShadowError as error:
            messages.error(request, f"Nothing changed: {error}")
        else:
            messages.success(
                request,
                f"Model {model.version[:12]} "
                + ("is now the active one." if action == "promote" else "was discarded."),
            )
        return HttpResponseRedirect(reverse("admin:moderation_classifiermodel_task", args=[task]))


def _compared(model: ClassifierModel | None) -> dict[str, Any]:
    compared = model.compared_with if model else None
    return compared if isinstance(compared, dict) else {}


def _compared_version(model: ClassifierModel | None) -> str | None:
    version = _compared(model).get("version")
    return version if isinstance(version, str) and version else None


def _metric_rows(model: ClassifierModel | None) -> list[tuple[str, float | None, float | None]]:
    """Each held-out figure of a model beside the figure of the model that was active
    when it was trained, measured then on the same held-out texts (``compared_with``),
    never that model's own figures from its own training.
    """
    metrics = model.metrics if model and isinstance(model.metrics, dict) else {}
    before = _compared(model).get("metrics")
    if not isinstance(before, dict):
        before = {}
    return [
        (label, _number(metrics.get(key)), _number(before.get(key))) for key, label in METRIC_NAMES
    ]


def _confusion_svg(model: ClassifierModel | None, task: str) -> SafeString | None:
    counts = confusion_counts(model.metrics) if model and isinstance(model.metrics, dict) else None
    return charts.confusion_matrix(**counts, positive=task) if counts else None


def _pr_svg(model: ClassifierModel | None) -> SafeString | None:
    points = pr_points(model.metrics) if model and isinstance(model.metrics, dict) else []
    return charts.precision_recall_curve(points) if len(points) >= 2 else None
