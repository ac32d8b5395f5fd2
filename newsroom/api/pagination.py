"""Keyset (cursor) pagination over a composite ordering that ends in a unique key.

DRF's CursorPagination positions on the first ordering field only and steps over ties
by offset, so a queue where thousands of comments share a leading value (every unscored
comment has uncertainty 1.0) pages by ever larger offsets. Here the cursor carries the
whole key of the last row, and the next page is `WHERE key > cursor`, which an index on
the same columns answers at the same cost at any depth.
"""

import base64
import binascii
import datetime
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Field, Model, OrderBy, Q, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

# Bounds that keep decoded cursor values inside what every database column can hold.
_MAX_INT = 2**63 - 1
_MIN_YEAR, _MAX_YEAR = 1900, 2999
_MAX_CURSOR_LENGTH = 1000


@dataclass(frozen=True)
class Key:
    field: str
    descending: bool
    nullable: bool


@dataclass(frozen=True)
class KeysetOrdering:
    """A named ordering, such as the queue's "priority": its keys, the last one unique."""

    name: str
    keys: tuple[Key, ...]

    @classmethod
    def build(cls, name: str, model: type[Model], fields: Sequence[str]) -> "KeysetOrdering":
        keys = []
        for spec in fields:
            field = spec.lstrip("-")
            try:
                model_field = model._meta.get_field(field)
            except FieldDoesNotExist:
                raise ValueError(f"{model.__name__} has no field {field!r}") from None
            nullable = bool(getattr(model_field, "null", False))
            keys.append(Key(field=field, descending=spec.startswith("-"), nullable=nullable))
        return cls(name=name, keys=tuple(keys))

    def order_by(self, reverse: bool = False) -> list[OrderBy]:
        # NULLs sort last going forward (first going back), the same on every database.
        terms = []
        for key in self.keys:
            descending = key.descending != reverse
            expr = F(key.field)
            if key.nullable:
                nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
                terms.append(expr.desc(**nulls) if descending else expr.asc(**nulls))
            else:
                terms.append(expr.desc() if descending else expr.asc())
        return terms

    def after(self, values: Sequence[Any], reverse: bool = False) -> Q:
        """Rows strictly after `values` in this ordering (before them when reversed)."""
        nulls_last = not reverse
        branches = Q(pk__in=[])
        equal_so_far = Q()
        for key, value in zip(self.keys, values, strict=True):
            descending = key.descending != reverse
            branches |= equal_so_far & self._strictly_after(key, value, descending, nulls_last)
            equal_so_far &= (
                Q(**{f"{key.field}__isnull": True}) if value is None else Q(**{key.field: value})
            )
        leading, first = self.keys[0], values[0]
        if leading.nullable or first is None:
            return branches
        # Redundant with the branches, but an index can seek on it: without it the scan
        # would start at the top of the index and filter its way down to the cursor.
        descending = leading.descending != reverse
        bound = f"{leading.field}__{'lte' if descending else 'gte'}"
        return Q(**{bound: first}) & branches

    @staticmethod
    def _strictly_after(key: Key, value: Any, descending: bool, nulls_last: bool) -> Q:
        if value is None:
            return Q(pk__in=[]) if nulls_last else Q(**{f"{key.field}__isnull": False})
        beyond = Q(**{f"{key.field}__{'lt' if descending else 'gt'}": value})
        if key.nullable and nulls_last:
            beyond |= Q(**{f"{key.field}__isnull": True})
        return beyond

    def values_of(self, row: Model | dict[str, Any]) -> list[Any]:
        # A page may be plain rows (QuerySet.values()) that carry the keys by name.
        if isinstance(row, dict):
            return [row[key.field] for key in self.keys]
        return [getattr(row, key.field) for key in self.keys]


@dataclass(frozen=True)
class Cursor:
    values: list[Any]
    reverse: bool


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value


def _decode_value(model: type[Model], key: Key, raw: Any) -> Any:
    if raw is None:
        if not key.nullable:
            raise ValueError("null for a required key")
        return None
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise ValueError("not a scalar")
    field = model._meta.get_field(key.field)
    assert isinstance(field, Field)
    value = field.to_python(raw)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not finite")
    if isinstance(value, int) and not -_MAX_INT <= value <= _MAX_INT:
        raise ValueError("out of range")
    if isinstance(value, datetime.datetime) and (
        value.tzinfo is None or not _MIN_YEAR <= value.year <= _MAX_YEAR
    ):
        raise ValueError("out of range")
    return value


class KeysetPagination(BasePagination):
    """Forward and backward cursor pages over the view's `get_keyset_ordering()`."""

    page_size = 50
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        ordering: KeysetOrdering = view.get_keyset_ordering(request)
        model = queryset.model
        size = self._page_size(request)
        cursor = self._decode_cursor(request, ordering, model)
        reverse = cursor.reverse if cursor else False
        page = queryset.order_by(*ordering.order_by(reverse))
        if cursor is not None:
            page = page.filter(ordering.after(cursor.values, reverse))
        rows = list(self.fetch(page, size + 1))
        more = len(rows) > size
        rows = rows[:size]
        if reverse:
            rows.reverse()
            has_previous, has_next = more, bool(rows)
        else:
            has_previous, has_next = cursor is not None and bool(rows), more
        self._request = request
        self._next = self._link(ordering, rows[-1], reverse=False) if has_next else None
        self._previous = self._link(ordering, rows[0], reverse=True) if has_previous else None
        self._ordering = ordering
        return rows

    def fetch(self, page: QuerySet[Any], limit: int) -> QuerySet[Any]:
        return page[:limit]

    def get_paginated_response(self, data: Any) -> Response:
        return Response({"next": self._next, "previous": self._previous, "results": data})

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "An opaque cursor from the `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items per page (default {self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def _page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def _decode_cursor(
        self, request: Request, ordering: KeysetOrdering, model: type[Model]
    ) -> Cursor | None:
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        try:
            if len(raw) > _MAX_CURSOR_LENGTH:
                raise ValueError("too long")
            payload = json.loads(base64.urlsafe_b64decode(raw.encode("ascii")))
            if not isinstance(payload, dict) or payload.get("o") != ordering.name:
                raise ValueError("another ordering")
            raw_values, reverse = payload["v"], payload.get("r", False)
            if not isinstance(raw_values, list) or len(raw_values) != len(ordering.keys):
                raise ValueError("wrong length")
            if not isinstance(reverse, bool):
                raise ValueError("bad direction")
            values = [
                _decode_value(model, key, value)
                for key, value in zip(ordering.keys, raw_values, strict=True)
            ]
        except (
            ValueError,
            RecursionError,
            KeyError,
            TypeError,
            UnicodeError,
            binascii.Error,
            DjangoValidationError,
        ):
            raise ValidationError(
                {self.cursor_query_param: ["Invalid cursor: use a `next` or `previous` link."]}
            ) from None
        return Cursor(values=values, reverse=reverse)

    def _link(self, ordering: KeysetOrdering, row: Model, *, reverse: bool) -> str:
        payload = {
            "o": ordering.name,
            "v": [_encode_value(v) for v in ordering.values_of(row)],
            "r": reverse,
        }
        token = base64.urlsafe_b64encode(
            json.dumps(payload, separators=(",", ":")).encode()
        ).decode()
        url = remove_query_param(self._request.build_absolute_uri(), self.cursor_query_param)
        return replace_query_param(url, self.cursor_query_param, token)


# The same parameters for views that paginate by hand (APIView rather than a generic view).
CURSOR_PARAMETERS = [
    OpenApiParameter(
        name=KeysetPagination.cursor_query_param,
        type=OpenApiTypes.STR,
        required=False,
        description="An opaque cursor from the `next` or `previous` link.",
    ),
    OpenApiParameter(
        name=KeysetPagination.page_size_query_param,
        type={"type": "integer", "minimum": 1, "maximum": KeysetPagination.max_page_size},
        required=False,
        description=f"Items per page (default {KeysetPagination.page_size}).",
    ),
]


class KeysFirstKeysetPagination(KeysetPagination):
    """Keyset pages found by their keys first, then loaded: for large, filtered tables.

    One statement: the inner select takes only the primary keys of the page, which
    PostgreSQL answers from a covering index (comment_queue_priority holds the queue's
    filter columns) without visiting the table for each row a filter rejects; the outer
    one loads those rows with their joins and annotations. A filter that rejects most of
    the queue, such as a score range against the priority order, then costs an index
    walk instead of thousands of row reads.
    """

    def fetch(self, page: QuerySet[Any], limit: int) -> QuerySet[Any]:
        return self.load(page, page.values("pk")[:limit])

    def load(self, page: QuerySet[Any], keys: QuerySet[Any]) -> QuerySet[Any]:
        """The rows of the page's keys, in the page's order (the outer select).

        A subclass may load them from another queryset: the outer select needs none of
        the page's filters, and a join it adds (a related name to show) must not reach
        the inner one, where it would stop the index-only walk.
        """
        return page.filter(pk__in=keys)
