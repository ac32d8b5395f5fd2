"""Stored spoiler toggles move from the status decision to the spoiler review, and back."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.migration_steps import migrate_to, migration_running, migrations_restored  # noqa: F401

APP = "moderation"


def _split_migration() -> tuple[tuple[str, str], tuple[str, str]]:
    """(the migration that splits the fields, the one before it), whatever their numbers."""
    from django.db.migrations.loader import MigrationLoader

    key = migration_running(APP, "split_spoiler_reviews")
    migration = MigrationLoader(None, ignore_no_migrations=True).graph.nodes[key]
    before = [parent for parent in migration.dependencies if parent[0] == APP]
    return key, before[0]


@pytest.mark.usefixtures("migrations_restored")
def test_it_moves_spoiler_toggles_out_of_the_status_decision():
    split, before = _split_migration()
    old = migrate_to(before)
    user = old.get_model("auth", "User").objects.create(username="alice")
    section = old.get_model("articles", "Section").objects.create(name="Kyiv", slug="kyiv")
    article = old.get_model("articles", "Article").objects.create(
        slug="a", title="A", body="Text.", section=section, author="I. K."
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

    new = migrate_to(split)
    rows = {row.pk: row for row in new.get_model(APP, "Comment").objects.all()}
    assert (rows[only_spoiler].decided_at, rows[only_spoiler].decided_by_id) == (None, None)
    assert rows[only_spoiler].spoiler_reviewed_at == now
    assert rows[only_spoiler].spoiler_reviewed_by_id == user.pk
    assert rows[both].decided_at == earlier and rows[both].spoiler_reviewed_at == now
    assert rows[only_status].decided_at == now and rows[only_status].spoiler_reviewed_at is None

    back = migrate_to(before)
    rows = {row.pk: row for row in back.get_model(APP, "Comment").objects.all()}
    assert rows[only_spoiler].decided_at == now and rows[only_spoiler].decided_by_id == user.pk
    assert rows[both].decided_at == now
