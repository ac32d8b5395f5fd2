"""Query-string filters for the corrections inbox."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from articles.models import CorrectionRequest
from newsroom.api.fields import BoundedDateTimeFilter

OPEN = "open"


class CorrectionRequestFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[*CorrectionRequest.Status.choices, (OPEN, "New or in progress")],
        method="filter_status",
    )
    article = django_filters.CharFilter(field_name="article__slug", max_length=200)
    created_after = BoundedDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = BoundedDateTimeFilter(field_name="created_at", lookup_expr="lt")
    q = django_filters.CharFilter(
        method="filter_search",
        max_length=200,
        help_text="Words in the quote or the reader's suggestion.",
    )

    class Meta:
        model = CorrectionRequest
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == OPEN:
            return queryset.filter(
                status__in=[CorrectionRequest.Status.NEW, CorrectionRequest.Status.IN_PROGRESS]
            )
        return queryset.filter(status=value)

    def filter_search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(quote__icontains=value) | Q(suggestion__icontains=value))
