"""PostgreSQL parameters for the batch writes: many rows in one text parameter.

psycopg adapts a Python list element by element, and parses a query of thousands of
placeholders afresh each time (too long for its cache): for the ~6,000 band hashes of
a scoring batch a list took about 4 ms and an IN list about 11 ms, against 0.15 ms
for one text parameter in array syntax that the query casts (`%s::bigint[]`). Rows of
mixed columns go the same way as one JSON document (`jsonb_to_recordset`).
"""

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Field, JSONField, Model
from django.db.models.expressions import RawSQL


def int_array(values: Iterable[int]) -> str:
    """`{1,2,3}`: cast it in the query, e.g. `unnest(%s::bigint[])`."""
    return "{" + ",".join(map(str, map(int, values))) + "}"


def any_of_ids(ids: Iterable[int]) -> Any:
    """The ids for an `__in` lookup: on PostgreSQL one array parameter (an IN list of
    thousands costs more to compose and send than the database spends on the lookup)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [int_array(ids)])
    return list(ids)


def timestamp_array(values: Iterable[datetime]) -> str:
    """Aware datetimes as `{2026-11-29T10:00:00+00:00,...}`: cast with `::timestamptz[]`."""
    return "{" + ",".join(_aware(value).isoformat() for value in values) + "}"


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a batch parameter needs aware datetimes")
    return value


class NotJson(ValueError):
    """A value JSON cannot carry as the column stores it (NaN, an encoder's type):
    the caller writes these rows its other way."""


def _json_ready(field: "Field[Any, Any]", obj: Model) -> object:
    # The value Django would send for the column, in the form jsonb_to_recordset reads
    # back into the column's type: numbers and text as they are, JSON as nested JSON.
    value = getattr(obj, field.attname)
    if value is None:
        return None
    if isinstance(field, JSONField):
        if field.encoder is not None:
            raise NotJson(f"{field.name} has its own encoder")
        return value
    value = field.get_prep_value(value)
    if isinstance(value, datetime):
        return _aware(value).isoformat()
    if isinstance(value, str | bool | int | float):
        return value
    raise NotJson(f"{field.name}: {type(value).__name__}")


def recordset(objs: Sequence[Model], fields: Sequence["Field[Any, Any]"]) -> tuple[str, str]:
    """The rows as one JSON parameter and the column list that reads them back:
    `FROM jsonb_to_recordset(%s::jsonb) AS v(<columns>)`, keyed by column name.
    Raises NotJson when a value would not survive the trip."""
    rows = [{field.column: _json_ready(field, obj) for field in fields} for obj in objs]
    try:
        document = json.dumps(rows, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as error:
        raise NotJson(str(error)) from error
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in fields)
    return document, columns


def insert_rows(objs: Sequence[Model], *, ignore_conflicts: bool = False) -> None:
    """bulk_create's INSERT, every column but the generated key, from one parameter;
    bulk_create itself when a value would not survive the trip (NotJson). The objects
    get no primary key back: for rows nothing reads again in the transaction. Other
    databases get bulk_create."""
    if not objs:
        return
    model = type(objs[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(objs, ignore_conflicts=ignore_conflicts)
        return
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.auto_field]
    try:
        document, columns = recordset(objs, fields)
    except NotJson:
        model._default_manager.bulk_create(objs, ignore_conflicts=ignore_conflicts)
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) "  # noqa: S608 - the model's names
            f"SELECT {names} FROM jsonb_to_recordset(%s::jsonb) AS v({columns})"
            + (" ON CONFLICT DO NOTHING" if ignore_conflicts else ""),
            [document],
        )
