"""Stored spoiler toggles move from the status decision to the spoiler review, and back."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

APP = "moderation"


def _split_migration() -> tuple[tuple[str, str], tuple[str, str]]:
    """(the migration that splits the fields, the one before it), whatever their numbers."""
    executor = MigrationExecutor(connection)
    for key, migration in executor.loader.graph.nodes.items():
        if key[0] == APP and any(
            getattr(op, "code", None) and op.code.__name__ == "split_spoiler_reviews"
            for op in migration.operations
        ):
            before = [parent for parent in migration.dependencies if parent[0] == APP]
            return key, before[0]
    raise AssertionError("no migration splits spoiler reviews")


def _migrate(target: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


@pytest.fixture
def migrations_restored(transactional_db):
    """Whatever the test leaves, the schema is back at the latest migrations afterwards."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_it_moves_spoiler_toggles_out_of_the_status_decision(migrations_restored):
    split, before = _split_migration()
    old = _migrate(before)
    user = old.get_model("auth", "User").objects.create(username="alice")
    article = old.get_model("articles", "Article").objects.create(
        slug="a", title="A", body="Text.", section="Kyiv", author="I. K."
    )
    Comment = old.get_model(APP, "Comment")
    Event = old.get_model(APP, "ModerationEvent")
    now = timezone.now()
    earlier = now - timedelta(hours=1)

    def comment(body, status, decided_at, events):
        row = Comment.objects.create(
            article=article,
            author_name="O",
            body=body,
            status=status,
            decided_by=user if decided_at else None,
            decided_at=decided_at,
        )
        for action, at in events:
            Event.objects.create(comment=row, actor=user, action=action, created_at=at)
        return row.pk

    only_spoiler = comment("auto spam flagged", "spam", now, [("spoiler_set", now)])
    both = comment(
        "approved then flagged", "approved", now, [("approved", earlier), ("spoiler_set", now)]
    )
    only_status = comment("approved", "approved", now, [("approved", now)])

    new = _migrate(split)
    rows = {row.pk: row for row in new.get_model(APP, "Comment").objects.all()}
    assert (rows[only_spoiler].decided_at, rows[only_spoiler].decided_by_id) == (None, None)
    assert rows[only_spoiler].spoiler_reviewed_at == now
    assert rows[only_spoiler].spoiler_reviewed_by_id == user.pk
    assert rows[both].decided_at == earlier and rows[both].spoiler_reviewed_at == now
    assert rows[only_status].decided_at == now and rows[only_status].spoiler_reviewed_at is None

    back = _migrate(before)
    rows = {row.pk: row for row in back.get_model(APP, "Comment").objects.all()}
    assert rows[only_spoiler].decided_at == now and rows[only_spoiler].decided_by_id == user.pk
    assert rows[both].decided_at == now
