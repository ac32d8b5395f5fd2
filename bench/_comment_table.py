"""The comment table's required columns, read from a migrated database.

The benchmarks write comment rows with SQL (bulk preloads, the ceiling's one INSERT).
Columns the table declares NOT NULL with no database default must be given a value;
reading them from the database keeps those writes working when a migration adds one.
"""

from __future__ import annotations

from collections.abc import Callable

# A neutral value per PostgreSQL type, as SQL.
_ZERO = {
    "boolean": "false",
    "integer": "0",
    "bigint": "0",
    "smallint": "0",
    "double precision": "0.0",
    "jsonb": "'{}'",
    "timestamp with time zone": "now()",
}
# Values a neutral zero would get wrong.
_KNOWN = {"status": "'pending'", "rule_hits": "'[]'", "uncertainty": "1.0"}


def required_columns(psql: Callable[[str], str]) -> dict[str, str]:
    """Each NOT NULL column without a default (but the id), with a neutral SQL value.

    `psql` runs one statement on the migrated database and returns psql's `-At` output.
    """
    rows = psql(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = 'moderation_comment' AND is_nullable = 'NO' "
        "AND column_default IS NULL AND column_name <> 'id' ORDER BY ordinal_position"
    ).splitlines()
    return {
        name: _KNOWN.get(name) or _ZERO.get(kind, "''")
        for name, kind in (row.split("|", 1) for row in rows)
    }


def with_required(given: dict[str, str], psql: Callable[[str], str]) -> tuple[str, str]:
    """Column list and SQL values: `given` (column: SQL), then every other required column."""
    columns = {**given}
    for name, value in required_columns(psql).items():
        columns.setdefault(name, value)
    return ", ".join(columns), ", ".join(columns.values())
