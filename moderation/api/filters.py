"""Query-string filters for the moderation queue and the model registry."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema_field

from moderation.models import ClassifierModel, Comment
from moderation.selectors import QUEUES
from newsroom.api.fields import BoundedDateTimeFilter

# Orderings the queue offers; each ends in the primary key so that every position is unique.
QUEUE_ORDERINGS: dict[str, tuple[str, ...]] = {
    "priority": ("-uncertainty", "created_at", "id"),
    "oldest": ("created_at", "id"),
    "newest": ("-created_at", "-id"),
    "-spam_score": ("-spam_score", "-id"),
    "spam_score": ("spam_score", "id"),
}
ALL_QUEUES = "all"
SEARCH_MAX_LENGTH = 200


@extend_schema_field({"type": "number", "minimum": 0, "maximum": 1})
class ScoreFilter(django_filters.NumberFilter):
    """A classifier score bound, a finite number from 0 to 1."""

    field_class = forms.FloatField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0.0)
        kwargs.setdefault("max_value", 1.0)
        super().__init__(*args, **kwargs)


class CommentQueueFilter(django_filters.FilterSet):
    queue = django_filters.ChoiceFilter(
        choices=[(name, name) for name in [*QUEUES, ALL_QUEUES]],
        method="filter_queue",
        empty_label=None,
        help_text=(
            "pending: awaiting a decision (the default); auto_spam: hidden as spam by the "
            "classifier, no person has decided its status; spoiler: flagged as a spoiler, "
            "no person has reviewed the flag; "
            "reported: open reports from readers (published, or held by its reports); "
            "unmoderated: published by the classifier, no person has looked at it; "
            "all: every comment."
        ),
    )
    status = django_filters.ChoiceFilter(choices=Comment.Status.choices)
    article = django_filters.CharFilter(
        field_name="article__slug", max_length=200, help_text="The article's slug."
    )
    section = django_filters.CharFilter(
        field_name="article__section__slug",
        lookup_expr="iexact",
        max_length=60,
        help_text="The section's slug.",
    )
    spam_score_min = ScoreFilter(field_name="spam_score", lookup_expr="gte")
    spam_score_max = ScoreFilter(field_name="spam_score", lookup_expr="lte")
    spoiler_score_min = ScoreFilter(field_name="spoiler_score", lookup_expr="gte")
    spoiler_score_max = ScoreFilter(field_name="spoiler_score", lookup_expr="lte")
    created_after = BoundedDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = BoundedDateTimeFilter(field_name="created_at", lookup_expr="lt")
    q = django_filters.CharFilter(
        method="filter_search",
        max_length=SEARCH_MAX_LENGTH,
        help_text="Words in the comment's text or its author's name.",
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(name, name) for name in QUEUE_ORDERINGS],
        method="keep",
        empty_label=None,
        help_text=(
            "priority (default): most uncertain decision first, then oldest; oldest; newest; "
            "-spam_score: most likely spam first; spam_score: least likely spam first."
        ),
    )

    class Meta:
        model = Comment
        fields: list[str] = []

    def filter_queue(self, queryset: QuerySet[Comment], name: str, value: str) -> QuerySet[Comment]:
        if value == ALL_QUEUES:
            return queryset
        return queryset.filter(QUEUES[value])

    def filter_search(
        self, queryset: QuerySet[Comment], name: str, value: str
    ) -> QuerySet[Comment]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(body__icontains=value) | Q(author_name__icontains=value))

    def keep(self, queryset: QuerySet[Comment], name: str, value: str) -> QuerySet[Comment]:
        # The paginator applies the ordering; listed here so it is validated and documented.
        return queryset

    @property
    def qs(self) -> QuerySet[Comment]:
        # The pending queue unless another is asked for, so the bare URL is the desk's queue.
        queryset = super().qs
        if not self.form.cleaned_data.get("queue"):
            queryset = queryset.filter(QUEUES["pending"])
        return queryset


class ClassifierModelFilter(django_filters.FilterSet):
    task = django_filters.ChoiceFilter(choices=ClassifierModel.Task.choices)
    state = django_filters.ChoiceFilter(choices=ClassifierModel.State.choices)

    class Meta:
        model = ClassifierModel
        fields: list[str] = []
