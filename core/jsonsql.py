"""JSON values built in SQL, for both PostgreSQL (jsonb) and the SQLite of `make run` (JSON as text).

Set-based writers (the deadline sweep, case notices) fill JSONField columns
inside INSERT … SELECT, where Django's JSONField cannot encode them.
"""

from django.db import connection


def json_object_sql(fields: dict[str, str]) -> str:
    """A JSON object whose values are the SQL expressions of ``fields``; the names are our own constants."""
    if not all(name.isidentifier() for name in fields):
        raise ValueError(f"not a field name: {sorted(fields)!r}")
    builder = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    pairs = ", ".join(f"'{name}', {sql}" for name, sql in fields.items())
    return f"{builder}({pairs})"


def json_param_sql(placeholder: str) -> str:
    """A query parameter holding JSON text (``json.dumps``), as this database stores a JSONField."""
    return f"CAST({placeholder} AS jsonb)" if connection.vendor == "postgresql" else f"json({placeholder})"
