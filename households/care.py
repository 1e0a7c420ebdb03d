"""The care schedule in the sweep (HOUSEHOLDS.md "Next visit due"): key records due soon or overdue.

Three days before a key record's next visit is due its station's officers are reminded; once it
is overdue they and the township's staff are told. Each notice goes once per (record, due date)
and person: its ``dedupe_key`` names them, and the insert skips the ones written before, however
often the sweep runs and on however many workers. A visit moves the due date, which is a new
subject and reminds again. Each record keeps the due date it was last told for (one column per
rule), so a run reads only records that are new to the rule, through a partial index of them.
Set-based: one statement per rule on PostgreSQL (three elsewhere), whatever the number of records.
"""

import datetime

from django.db import connection
from django.utils import timezone

from core.jsonsql import json_object_sql
from households.models import RecordStatus
from notifications import outbox, texts

SOON_DAYS = 3

# Officers stationed at the record's station today.
_OFFICERS = """
    SELECT h.id AS household_id, sa.officer_id AS user_id FROM h
    JOIN accounts_stationassignment sa ON sa.station_id = h.station_id
         AND sa.start <= %(today)s AND (sa."end" IS NULL OR sa."end" >= %(today)s)
    JOIN accounts_user u ON u.id = sa.officer_id
    JOIN accounts_userrole r ON r.user_id = u.id AND r.role = 'officer'
    WHERE u.is_active
"""
# The staff of the record's township.
_TOWNSHIP_STAFF = """
    SELECT h.id, u.id FROM h
    JOIN accounts_orgunit o ON o.township_id = h.township_id
    JOIN accounts_user u ON u.org_unit_id = o.id
    JOIN accounts_userrole r ON r.user_id = u.id AND r.role = 'township_staff'
    WHERE u.is_active
"""


def _tell(now: datetime.datetime, *, rule: str, due_sql: str, audience: str, params: dict) -> int:
    """Write the rule's notices for the key records matching ``due_sql``; answer how many were new."""
    text = texts.CARE[rule]
    kind = f"household.care_{rule}"
    params = {**params, "now": connection.ops.adapt_datetimefield_value(now), "kind": kind, "text_key": text.key,
              "status": RecordStatus.ACTIVE, "prefix": f"care.{rule}:"}  # fmt: skip
    fields = {"name": "h.name", "station": "h.station_name", "due": "CAST(h.next_visit_due AS TEXT)"}
    title = texts.sql_concat(text.title, fields, params, "t")
    body = texts.sql_concat(text.body, fields, params, "b")
    told = f"care_{rule}_told_for"
    # Only records whose due date has not been told yet: on PostgreSQL the condition of the partial index
    # household_care_<rule>_todo (migration households 0002), stated so that the planner can use it.
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    todo = (f"h.status = %(status)s AND h.interval_days IS NOT NULL "
            f"AND h.{told} {distinct} h.next_visit_due AND {due_sql}")  # fmt: skip
    chosen = f"""
        WITH h AS (
            SELECT h.id, h.name, h.station_id, h.township_id, h.next_visit_due, st.name AS station_name
            FROM households_household h JOIN accounts_orgunit st ON st.id = h.station_id
            WHERE {todo}
        ), a AS ({audience})
    """  # noqa: S608
    insert = f"""
        INSERT INTO notifications_notification
            (recipient_id, kind, text_key, params, title, body, url, case_id, claim_id, dedupe_key, created_at,
             read_at)
        SELECT a.user_id, %(kind)s, %(text_key)s, {json_object_sql(fields)}, SUBSTR({title}, 1, 200), {body},
               '/households/' || CAST(h.id AS TEXT) || '/', NULL, NULL,
               %(prefix)s || CAST(h.id AS TEXT) || ':' || CAST(h.next_visit_due AS TEXT) || ':'
                   || CAST(a.user_id AS TEXT),
               %(now)s, NULL
        FROM h JOIN (SELECT DISTINCT * FROM a) a ON a.household_id = h.id ORDER BY h.id, a.user_id
        ON CONFLICT DO NOTHING
    """  # noqa: S608
    # The records chosen are marked told for their due date, in the same statement on PostgreSQL. Two workers
    # sweeping at once may both choose a record: the notices' dedupe_key keeps one of each.
    mark = f"UPDATE households_household x SET {told} = h.next_visit_due FROM h WHERE x.id = h.id"  # noqa: S608
    deliveries = outbox.deliveries_sql(notices="ins", returning=False)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            queued = f", d AS ({deliveries})" if deliveries else ""
            sql = (f"{chosen}, ins AS ({insert} RETURNING id, recipient_id){queued}, m AS ({mark}) "  # noqa: S608
                   "SELECT COUNT(*) FROM ins")  # fmt: skip
            cursor.execute(sql, {**params, "_now": params["now"]})
            return cursor.fetchone()[0]
        cursor.execute(f"{chosen} {insert}", params)
        written = cursor.rowcount
        cursor.execute(f"UPDATE households_household AS h SET {told} = h.next_visit_due WHERE {todo}", params)  # noqa: S608
    outbox.create_deliveries(where="n.kind = %(kind)s AND n.created_at = %(now)s", params=params, now=now)
    return written


def remind_due_soon(now: datetime.datetime) -> int:
    """Key records due within three days: their station's officers."""
    today = timezone.localdate(now)
    params = {"today": today, "soon": today + datetime.timedelta(days=SOON_DAYS)}
    return _tell(now, rule="soon", due_sql="h.next_visit_due BETWEEN %(today)s AND %(soon)s",
                 audience=_OFFICERS, params=params)  # fmt: skip


def tell_overdue(now: datetime.datetime) -> int:
    """Key records past their due date: their station's officers and their township's staff."""
    today = timezone.localdate(now)
    return _tell(now, rule="overdue", due_sql="h.next_visit_due < %(today)s",
                 audience=f"{_OFFICERS} UNION {_TOWNSHIP_STAFF}", params={"today": today})  # fmt: skip
