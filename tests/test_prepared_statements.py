"""DATABASE_PREPARE_THRESHOLD: off by default, psycopg 3 prepared statements when set."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper

from newsroom.settings.database import prepared_statement_options


@pytest.mark.parametrize("off", ["", "off", " None "])
def test_it_is_off_unless_a_number_is_given(off):
    assert prepared_statement_options(off) == {}


def test_a_number_turns_on_server_side_binding_with_that_threshold():
    assert prepared_statement_options("1") == {"server_side_binding": True, "prepare_threshold": 1}
    assert prepared_statement_options("5")["prepare_threshold"] == 5


# 0 would prepare the migrations' multi-statement scripts, which PostgreSQL refuses.
@pytest.mark.parametrize("bad", ["0", "-1", "often", "2.5"])
def test_it_refuses_anything_else(bad):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_PREPARE_THRESHOLD"):
        prepared_statement_options(bad)


def _database_options(env: dict[str, str]) -> str:
    code = "from newsroom.settings import test as s; print(s.DATABASES['default'].get('OPTIONS'))"
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_the_settings_apply_it_to_a_postgresql_database_only():
    on_postgresql = {"DATABASE_URL": "postgres://db/x", "DATABASE_PREPARE_THRESHOLD": "3"}
    assert _database_options(on_postgresql) == (
        "{'server_side_binding': True, 'prepare_threshold': 3}"
    )
    assert _database_options({**on_postgresql, "DATABASE_PREPARE_THRESHOLD": ""}) == "{}"
    sqlite = {"DATABASE_URL": "sqlite://:memory:", "DATABASE_PREPARE_THRESHOLD": "3"}
    assert "prepare_threshold" not in _database_options(sqlite)


@pytest.mark.django_db
@pytest.mark.parametrize(("threshold", "prepared"), [("off", 0), ("2", 1)])
def test_on_postgresql_a_statement_run_past_the_threshold_is_prepared(threshold, prepared):
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    # The test run's own connection may have them on (DATABASE_PREPARE_THRESHOLD set).
    options = {
        key: value
        for key, value in connection.settings_dict["OPTIONS"].items()
        if key not in ("server_side_binding", "prepare_threshold")
    } | prepared_statement_options(threshold)
    own = DatabaseWrapper({**connection.settings_dict, "OPTIONS": options}, alias="prepared")
    try:
        with own.cursor() as cursor:
            for _ in range(3):
                cursor.execute("SELECT count(*) FROM django_content_type WHERE id > %s", [0])
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements "
                "WHERE statement LIKE %s AND NOT from_sql",
                ["%django_content_type WHERE id > $1%"],
            )
            assert cursor.fetchone()[0] == prepared
    finally:
        own.close()
