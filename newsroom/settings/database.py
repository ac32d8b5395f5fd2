"""PostgreSQL connection options the environment chooses."""

from django.core.exceptions import ImproperlyConfigured

_OFF = {"", "off", "none"}


def prepared_statement_options(threshold: str) -> dict[str, object]:
    """DATABASE_PREPARE_THRESHOLD as psycopg 3 OPTIONS.

    Empty or "off" (the default): no prepared statements, Django's own choice, safe behind
    any pooler. A number N of 1 or more: each statement is prepared on its connection once
    it has run N times there, so later runs skip parsing and planning. psycopg prepares
    only with server-side binding (Django's default cursor binds on the client and never
    prepares), so the number turns that on too. Not 0, "prepare at once": PostgreSQL
    cannot prepare a script of several statements, and migrations run such scripts once.

    Prepared statements live in one server session. Behind PgBouncer in transaction
    pooling mode, consecutive transactions of one Django connection may land on different
    server connections: keep this off unless the pooler tracks protocol-level prepared
    statements (PgBouncer 1.21 or later with max_prepared_statements above 0). Session
    pooling and direct connections have no such limit.
    """
    raw = threshold.strip().lower()
    if raw in _OFF:
        return {}
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 1:
        raise ImproperlyConfigured(
            f"DATABASE_PREPARE_THRESHOLD={threshold!r}: a count of runs (1 or more), or off."
        )
    return {"server_side_binding": True, "prepare_threshold": value}
