"""DATABASE_REPLICA_URL: the public list reads from the replica, writes stay on the primary."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from moderation.models import Comment
from newsroom.db_router import REPLICA, PublicReadRouter, public_read

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def replica(settings):
    """Settings naming a replica, as DATABASE_REPLICA_URL gives them."""
    settings.DATABASES = {
        **settings.DATABASES,
        REPLICA: {**settings.DATABASES["default"], "TEST": {"MIRROR": "default"}},
    }


def test_reads_inside_a_public_read_go_to_the_replica(replica):
    router = PublicReadRouter()
    assert router.db_for_read(Comment) is None
    with public_read():
        assert router.db_for_read(Comment) == REPLICA
        assert router.db_for_write(Comment) is None
    assert router.db_for_read(Comment) is None


def test_without_a_replica_public_reads_stay_on_the_primary():
    with public_read():
        assert PublicReadRouter().db_for_read(Comment) is None


def test_no_migration_runs_on_the_replica():
    router = PublicReadRouter()
    assert router.allow_migrate(REPLICA, "moderation") is False
    assert router.allow_migrate("default", "moderation") is True


class _RecordingRouter(PublicReadRouter):
    """The router, noting where each read would go; the test database answers them all."""

    reads: list[tuple[str, str | None]] = []

    def db_for_read(self, model, **hints):  # type: ignore[no-untyped-def]
        self.reads.append((model.__name__, super().db_for_read(model, **hints)))
        return None


@pytest.mark.django_db
def test_the_public_list_reads_from_the_replica(replica, settings, client, article, make_comment):
    settings.DATABASE_ROUTERS = [_RecordingRouter()]
    make_comment(body="Published", status="approved")
    _RecordingRouter.reads = []
    response = client.get(f"/api/v1/articles/{article.slug}/comments/")
    assert response.status_code == 200
    assert ("Comment", REPLICA) in _RecordingRouter.reads
    assert ("Article", REPLICA) in _RecordingRouter.reads
    assert {db for _, db in _RecordingRouter.reads} == {REPLICA}


@pytest.mark.django_db
def test_a_comment_post_reads_and_writes_on_the_primary(replica, settings, client, article):
    settings.DATABASE_ROUTERS = [_RecordingRouter()]
    _RecordingRouter.reads = []
    response = client.post(
        f"/api/v1/articles/{article.slug}/comments/",
        {"author_name": "A", "body": "B"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert ("Article", None) in _RecordingRouter.reads
    assert REPLICA not in {db for _, db in _RecordingRouter.reads}


def test_the_settings_add_the_replica_from_its_url():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
        "DATABASE_REPLICA_URL": "postgres://reader@replica.internal:5432/newsroom",
    }
    shown = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; r = settings.DATABASES['replica']; "
            "print(r['HOST'], r['NAME'], settings.DATABASE_ROUTERS)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip().split(maxsplit=2) == [
        "replica.internal",
        "newsroom",
        "['newsroom.db_router.PublicReadRouter']",
    ]
