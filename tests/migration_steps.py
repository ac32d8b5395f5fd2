"""Moving the test database between migrations, for tests of data migrations."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migration_running(app: str, code_name: str) -> tuple[str, str]:
    """The migration of `app` whose RunPython step is the function `code_name`."""
    executor = MigrationExecutor(connection)
    for key, migration in executor.loader.graph.nodes.items():
        if key[0] == app and any(
            getattr(op, "code", None) and op.code.__name__ == code_name
            for op in migration.operations
        ):
            return key
    raise AssertionError(f"no {app} migration runs {code_name}")


def migrate_to(target: tuple[str, str]):  # type: ignore[no-untyped-def]
    """Migrate to `target`; the models as the database then has them (other apps stay at
    their latest migrations)."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state(tuple(executor.loader.applied_migrations)).apps


@pytest.fixture
def migrations_restored(transactional_db):  # type: ignore[no-untyped-def]
    """Whatever the test leaves, the schema is back at the latest migrations afterwards."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
