"""The comment and its SUBMITTED event in one statement: the same rows as the ORM writes."""

from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Reader, Site
from moderation.comment_insert import (
    _column_values,
    _compiled_column_values,
    comment_insert_with_event,
)
from moderation.models import Comment, ModerationEvent

# Set by the database or by the clock: equal rows differ in these alone.
_OWN = {"id", "created_at", "updated_at", "comment_id", "comment"}


def _new_comment(article, **fields: Any) -> Comment:
    return Comment(
        article=article,
        author_name="Oksana",
        author_email="oksana@example.org",
        body="Good news for Darnytsia.",
        author_spoiler_tag=True,
        is_spoiler=True,
        ip_address="10.0.0.1",
        user_agent="UA",
        referrer="https://example.org/page",
        **fields,
    )


def _new_event() -> ModerationEvent:
    return ModerationEvent(
        action=ModerationEvent.Action.SUBMITTED, to_status=Comment.Status.PENDING
    )


def _row(model: type[Any], pk: int) -> dict[str, Any]:
    return {k: v for k, v in model.objects.filter(pk=pk).values()[0].items() if k not in _OWN}


def test_it_writes_the_same_rows_as_the_orm(article):
    reader = Reader.objects.create(
        site=Site.objects.default(), sso_subject="r-1", display_name="Oksana"
    )
    parent = Comment.objects.create(
        article=article, author_name="Ira", body="First.", status=Comment.Status.APPROVED
    )
    by_orm = _new_comment(article, parent=parent, reader=reader)
    by_orm.save()
    event_by_orm = ModerationEvent.objects.create(
        comment=by_orm, action=ModerationEvent.Action.SUBMITTED, to_status=Comment.Status.PENDING
    )

    comment, event = _new_comment(article, parent=parent, reader=reader), _new_event()
    comment_insert_with_event(comment, event)

    assert comment.pk not in (None, by_orm.pk) and event.pk not in (None, event_by_orm.pk)
    assert _row(Comment, comment.pk) == _row(Comment, by_orm.pk)
    assert _row(ModerationEvent, event.pk) == _row(ModerationEvent, event_by_orm.pk)
    assert ModerationEvent.objects.get(pk=event.pk).comment_id == comment.pk
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.created_at == comment.created_at and stored.updated_at == comment.updated_at


def test_the_instances_come_back_saved(article):
    comment, event = _new_comment(article), _new_event()
    comment_insert_with_event(comment, event)
    assert not comment._state.adding and not event._state.adding
    assert event.comment is comment
    assert list(comment.events.values_list("pk", flat=True)) == [event.pk]


def test_on_postgresql_it_is_one_statement(article):
    if connection.vendor != "postgresql":
        pytest.skip("the single statement is PostgreSQL's; SQLite gets the ORM's two")
    with CaptureQueriesContext(connection) as queries:
        comment_insert_with_event(_new_comment(article), _new_event())
    assert len(queries) == 1
    assert queries[0]["sql"].startswith("WITH new_comment AS (INSERT INTO")


def test_the_short_path_prepares_values_as_the_insert_compiler_does(article, monkeypatch):
    # updated_at is `auto_now`: both paths must see the same clock.
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    comment = _new_comment(article, explanation={"top": ["free"]})
    short = _column_values(connection, comment)
    compiled = _compiled_column_values(connection, comment)
    assert short[0] == compiled[0]
    # (psycopg's JSON wrapper has no equality of its own: compare what it wraps.)
    assert [[getattr(p, "obj", p) for p in ps] for ps in short[1]] == [
        [getattr(p, "obj", p) for p in ps] for ps in compiled[1]
    ]


@pytest.mark.parametrize("model", [Comment, ModerationEvent])
def test_no_save_signal_listens_for_the_rows_the_statement_writes(model):
    # The single statement skips Model.save() and its signals: a receiver added later
    # would miss every new comment. Connect it in the service instead, or drop the statement.
    assert not pre_save.has_listeners(model)
    assert not post_save.has_listeners(model)
