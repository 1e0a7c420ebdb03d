"""The outbox: delivery rows written with the notices, and a nudge to the workers after commit.

PostgreSQL holds every delivery until it is sent; the broker only carries
"look at these now" messages. If Redis is down the nudge is dropped (and
logged) and the periodic task sends the rows once the workers run again.
"""

import contextlib
import datetime
import logging
import threading
from collections.abc import Iterable

from celery import current_app
from django.db import connection, transaction
from django.utils import timezone

from notifications import channels

logger = logging.getLogger(__name__)


# The SQL below is assembled from constants and channel names only; every
# value travels as a parameter (hence the S608 waivers).
def create_deliveries(
    *, where: str, params: dict, now: datetime.datetime | None = None, returning: bool = False
) -> list[int]:
    """One pending delivery per notice matching ``where`` (SQL over ``n``) and per channel that reaches its recipient.

    Existing rows are left alone, so calling it twice for a notice is harmless.
    """
    sql = deliveries_sql(where=where, returning=returning)
    if sql is None:
        return []
    now = connection.ops.adapt_datetimefield_value(now or timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, {**params, "_now": now})
        return [row[0] for row in cursor.fetchall()] if returning else []


def deliveries_sql(*, where: str = "TRUE", notices: str = "notifications_notification", returning: bool) -> str | None:
    """The INSERT of ``create_deliveries`` (parameter ``%(_now)s``), over ``notices`` (a table or, on PostgreSQL,
    a data-modifying CTE's name with ``id`` and ``recipient_id``); None when no channel is enabled."""
    selects = [
        f"SELECT n.id AS notification_id, '{channel.name}' AS channel "  # noqa: S608
        f"FROM {notices} n JOIN accounts_user u ON u.id = n.recipient_id "
        f"WHERE u.is_active AND ({channel.recipients_sql}) AND ({where})"
        for channel in channels.enabled()
    ]
    if not selects:
        return None
    return (
        "INSERT INTO notifications_delivery "  # noqa: S608
        "(notification_id, channel, status, attempts, next_attempt_at, last_error, created_at) "
        f"SELECT x.notification_id, x.channel, 'pending', 0, %(_now)s, '', %(_now)s "
        f"FROM ({' UNION ALL '.join(selects)}) x WHERE TRUE ORDER BY x.notification_id, x.channel "
        "ON CONFLICT DO NOTHING" + (" RETURNING id" if returning else "")
    )


def in_list(name: str, values: Iterable, params: dict) -> str:
    """``%(name0)s, %(name1)s, …`` for an SQL IN list, adding the values to ``params``."""
    names = []
    for n, value in enumerate(values):
        params[f"{name}{n}"] = value
        names.append(f"%({name}{n})s")
    return ", ".join(names) or "NULL"


def send_after_commit(delivery_ids: list[int]) -> None:
    """Ask a worker to send these deliveries once the current transaction commits."""
    if delivery_ids:
        from notifications.tasks import deliver

        transaction.on_commit(lambda: publish(deliver, [list(delivery_ids)]))


# Each thread's broker connection, kept between publishes: opening one costs ~25 ms of CPU (a resident's whole
# request is ~30 ms besides), and a gthread worker publishes after most writes.
_held = threading.local()


def _send(task, args: list | None, conn) -> None:
    conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)
    task.apply_async(args=args, connection=conn, retry=False)


def _forget() -> None:
    conn, _held.connection = getattr(_held, "connection", None), None
    if conn is not None:
        with contextlib.suppress(Exception):  # a connection already broken has nothing left to close
            conn.release()


def publish(task, args: list | None = None) -> bool:
    """Put a task on the broker without ever hanging or failing the caller.

    The thread's kept connection first; if the broker went away since, one
    more try on a new connection (one quick retry, no publish retries): with
    Redis down this costs about a second and logs a warning; the rows stay
    pending in PostgreSQL for the periodic task.
    """
    try:
        if current_app.conf.task_always_eager:
            task.apply_async(args=args)
            return True
        if getattr(_held, "url", None) != current_app.conf.broker_url:
            _forget()  # the broker's address changed (tests move it): the kept connection is to the old one
        held = getattr(_held, "connection", None)
        if held is not None:
            try:
                _send(task, args, held)
                return True
            except Exception:  # noqa: BLE001 - a kept connection the broker dropped: open a new one below
                _forget()
        _held.connection, _held.url = current_app.connection_for_write(), current_app.conf.broker_url
        _send(task, args, _held.connection)
        return True
    except Exception as exc:  # whatever the broker does, the caller's work is already committed
        _forget()
        logger.warning("broker unavailable, %s left for the periodic pick-up: %s", task.name, type(exc).__name__)
        return False
