"""Small SQL helpers of the sweep, written for both PostgreSQL and the SQLite of `make run`.

The SQL of the sweep is assembled from constants and choice values only;
every value travels as a parameter (hence the S608 waivers).
"""

import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from cases.choices import Clock
from notifications import texts


def clock_label_sql(params: dict) -> str:
    whens = []
    for n, (value, label) in enumerate(Clock.choices):
        params[f"clock{n}"] = texts.render(label)
        whens.append(f"WHEN '{value}' THEN %(clock{n})s")
    return f"CASE w.clock {' '.join(whens)} ELSE w.clock END"


def local_time_sql(column: str, params: dict) -> str:
    """``YYYY-MM-DD HH:MM`` in the site's time zone, in this database's dialect."""
    if connection.vendor == "postgresql":
        params["tz"] = settings.TIME_ZONE
        return f"to_char({column} AT TIME ZONE %(tz)s, 'YYYY-MM-DD HH24:MI')"
    offset = timezone.localtime(timezone.now()).utcoffset() or datetime.timedelta()
    params["tzshift"] = f"{int(offset.total_seconds() // 60):+d} minutes"
    return f"strftime('%%Y-%%m-%%d %%H:%%M', {column}, %(tzshift)s)"


def iso_time_sql(column: str) -> str:
    """The instant as ISO 8601 in UTC (``…Z``), for a notice's stored parameters, in this database's dialect."""
    if connection.vendor == "postgresql":
        return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""
    # SQLite keeps datetimes as UTC text.
    return f"strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', {column})"


def days_before_sql(day: str, days: str) -> str:
    """The date ``days`` days before the date ``day`` (both SQL), in this database's dialect."""
    if connection.vendor == "postgresql":
        return f"(CAST({day} AS DATE) - CAST({days} AS INTEGER))"
    return f"date({day}, '-' || {days} || ' days')"


def quoted(values) -> str:
    # Only our own choice values reach here, never user input; check anyway.
    if not all(str(v).replace("_", "").replace(":", "").isalnum() for v in values):
        raise ValueError(f"not a choice value: {values!r}")
    return ", ".join(f"'{v}'" for v in values)


def dt(value: datetime.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def execute(sql: str, params: dict, *, fetch: bool = False):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if fetch else cursor.rowcount
