"""A new comment and its SUBMITTED event, written in one statement where the database can.

On PostgreSQL the two rows go in a single `WITH comment AS (INSERT ... RETURNING id)
INSERT INTO event ... SELECT ... FROM comment`: one round trip instead of two, and the
event can never be missing. Other databases (SQLite for the embedded default) get the
ORM's two INSERTs. Either way the rows are the ORM's own: the values go through the same
field preparation (defaults, `auto_now`, JSON adaptation) as `Model.save()`. No save
signal is sent: none is connected for these models (tested), and a new comment's
consequences belong in `comment_submit`.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.sql import InsertQuery
from django.db.models.sql.compiler import SQLInsertCompiler

from moderation.models import Comment, ModerationEvent


@functools.cache
def _insert_fields(model: type[Model]) -> tuple[Field[Any, Any], ...]:
    """The columns Model.save() writes for a new row: all but the serial key and
    generated columns."""
    meta = model._meta
    return tuple(
        field
        for field in meta.local_concrete_fields
        if field is not meta.auto_field and not field.generated
    )


def _column_values(
    connection: BaseDatabaseWrapper, obj: Model
) -> tuple[list[str], list[list[Any]]]:
    """Each insert field's placeholder and parameters for obj, as Django's INSERT
    compiler prepares them (pre_save fills `auto_now` and the like on obj).

    A plain value takes the compiler's own short path (`get_db_prep_save`, `%s`) without
    building a query: that build cost more than the statement's round trip. An
    expression (a `db_default`, say) or a field with its own placeholder goes through
    the compiler itself.
    """
    fields = _insert_fields(type(obj))
    placeholders: list[str] = []
    params: list[list[Any]] = []
    for field in fields:
        value = field.pre_save(obj, add=True)
        if hasattr(value, "resolve_expression") or hasattr(field, "get_placeholder"):
            return _compiled_column_values(connection, obj)
        placeholders.append("%s")
        params.append([field.get_db_prep_save(value, connection=connection)])
    return placeholders, params


def _compiled_column_values(
    connection: BaseDatabaseWrapper, obj: Model
) -> tuple[list[str], list[list[Any]]]:
    fields = list(_insert_fields(type(obj)))
    query = InsertQuery(type(obj))
    query.insert_values(fields, [obj])
    compiler: SQLInsertCompiler = query.get_compiler(connection=connection)  # type: ignore[assignment]
    placeholders: list[str] = []
    params: list[list[Any]] = []
    for field in fields:
        value = compiler.prepare_value(field, compiler.pre_save_val(field, obj))
        # (A field may have its own placeholder; the stubs don't allow for None.)
        get_placeholder: Any = getattr(field, "get_placeholder", None)
        sql, field_params = compiler.field_as_sql(field, get_placeholder, value)
        placeholders.append(sql)
        params.append(list(field_params))
    return placeholders, params


@functools.cache
def _statement(
    using: str, comment_placeholders: tuple[str, ...], event_placeholders: tuple[str, ...]
) -> str:
    qn = connections[using].ops.quote_name
    pk_column = qn(Comment._meta.pk.column)  # type: ignore[union-attr]
    event_fields = _insert_fields(ModerationEvent)
    selected = [
        f"new_comment.{pk_column}" if field.attname == "comment_id" else placeholder
        for field, placeholder in zip(event_fields, event_placeholders, strict=True)
    ]
    return (
        f"WITH new_comment AS ("  # noqa: S608 - names from the models, values as parameters
        f"INSERT INTO {qn(Comment._meta.db_table)} "
        f"({', '.join(qn(f.column) for f in _insert_fields(Comment))}) "
        f"VALUES ({', '.join(comment_placeholders)}) RETURNING {pk_column}"
        f") INSERT INTO {qn(ModerationEvent._meta.db_table)} "
        f"({', '.join(qn(f.column) for f in event_fields)}) "
        f"SELECT {', '.join(selected)} FROM new_comment "
        f"RETURNING {qn(ModerationEvent._meta.pk.column)}, "  # type: ignore[union-attr]
        f"{qn(ModerationEvent._meta.get_field('comment').column)}"
    )


def _saved(obj: Model, pk: int, using: str) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using


def comment_insert_with_event(comment: Comment, event: ModerationEvent) -> None:
    """Insert the unsaved comment and its unsaved event (whose comment is set by this),
    inside the caller's transaction; both come back with their ids."""
    using = router.db_for_write(Comment, instance=comment)
    connection = connections[using]
    if connection.vendor != "postgresql":
        comment.save(force_insert=True, using=using)
        event.comment = comment
        event.save(force_insert=True, using=using)
        return
    comment_placeholders, comment_params = _column_values(connection, comment)
    event_placeholders, event_params = _column_values(connection, event)
    sql = _statement(using, tuple(comment_placeholders), tuple(event_placeholders))
    # The event's comment_id is the first INSERT's id, not a parameter.
    event_fields = _insert_fields(ModerationEvent)
    select_params = [
        p
        for field, params in zip(event_fields, event_params, strict=True)
        if field.attname != "comment_id"
        for p in params
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [p for params in comment_params for p in params] + select_params)
        event_id, comment_id = cursor.fetchone()
    _saved(comment, comment_id, using)
    event.comment = comment
    _saved(event, event_id, using)
