"""Data built once for a whole test module and committed, for modules whose world takes seconds to build.

Each test still runs in its own transaction (pytest-django's ``db``), so what a
test writes rolls back while the module's world stays. At the end the tables
the world filled are emptied again (TRUNCATE on PostgreSQL, DELETE on SQLite),
so the next module on the same database starts as clean as any other test.
"""

from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import connection

from tests.clock import pinned


def _has_rows(table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608 - a table name
        return cursor.fetchone() is not None


@contextmanager
def committed(django_db_blocker):
    """Run the block's writes outside any test transaction, at the pinned clock, and undo them afterwards.

    A module fixture is set up before the per-test ``clock`` fixture, so the
    block runs at the same pinned moment the tests will see.
    """
    with django_db_blocker.unblock():
        empty = [t for t in connection.introspection.django_table_names(only_existing=True) if not _has_rows(t)]
        try:
            with pinned():
                yield
        finally:
            connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), empty, reset_sequences=True))
