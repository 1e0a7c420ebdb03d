"""Streaming rows into PostgreSQL with COPY, in chunks, with ids handed out here.

Each table gets an in-memory text buffer that is sent with psycopg2's
``copy_expert`` whenever it grows past CHUNK rows, so memory stays flat
however many rows a build writes. Ids are pre-allocated from the table's
current maximum, so rows can point at each other before they are sent; the
identity sequences are moved past them at the end.
"""

import io

from django.db import connection

CHUNK = 20_000

COLUMNS = {
    "diaries_diaryentry": ("id", "officer_id", "station_id", "township_id", "city_id", "visit_date", "visit_type",
                           "content", "household_visits", "enterprise_visits", "created_at"),
    "diaries_visit": ("id", "entry_id", "kind", "name", "phone", "address", "household_id"),
    "cases_case": ("id", "code", "title", "description", "category_id", "difficulty", "urgency", "source", "level",
                   "status", "city_id", "township_id", "station_id", "officer_id", "created_by_id", "diary_id",
                   "reporter_name", "reporter_phone", "reporter_address", "unit_id", "clock", "due_at",
                   "dispatch_due", "sign_due", "handle_due", "review_due", "feedback_due", "callback_due", "overdue",
                   "supervised", "outcome", "created_at", "updated_at", "closed_at", "household_id", "confidential",
                   "invalid"),
    "cases_caseevent": ("id", "case_id", "action", "actor_id", "from_status", "to_status", "level", "unit_id", "note",
                        "data", "created_at"),
    "cases_dispatch": ("id", "case_id", "level", "unit_id", "dispatched_by_id", "dispatched_at", "sign_due",
                       "handle_due", "signed_at", "returned_at", "replied_at", "approved_at", "result", "outcome",
                       "extension_days", "ended_at", "handle_hours"),
    "cases_extension": ("id", "case_id", "dispatch_id", "level", "days", "reason", "requested_by_id", "requested_at",
                        "decision", "decided_by_id", "decided_at", "note"),
    "cases_feedback": ("id", "case_id", "channel", "content", "resident_response", "given_by_id", "given_at"),
    "cases_callback": ("id", "case_id", "reached", "solved", "satisfaction", "note", "closes", "by_id", "at",
                       "channel"),
    "notifications_sweepclaim": ("id", "rule", "case_id", "clock", "due_at", "officer_id", "since", "run",
                                 "claimed_at"),
}  # fmt: skip
# Parents before children, so a chunk never points at a row not sent yet.
ORDER = tuple(COLUMNS)


def cell(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value)


def stamp(moment) -> str:
    """A naive Asia/Shanghai datetime as timestamptz text; None as NULL."""
    return "\\N" if moment is None else f"{moment.isoformat(' ')}+08"


class Writer:
    def __init__(self, first_ids: dict[str, int], limits: dict[str, int]):
        self.buffers = {t: [] for t in COLUMNS}
        self.counts = dict.fromkeys(COLUMNS, 0)
        self.next_ids = dict(first_ids)
        self.limits = limits

    @staticmethod
    def bases() -> dict[str, int]:
        """The first free id of each table."""
        out = {}
        with connection.cursor() as cursor:
            for table in COLUMNS:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - our own table names
                out[table] = cursor.fetchone()[0] + 1
        return out

    @staticmethod
    def move_sequences() -> None:
        """Past the ids handed out here, so the application's next row gets a fresh one."""
        with connection.cursor() as cursor:
            for table in COLUMNS:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
                )

    def new_id(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def add(self, table: str, row: tuple) -> None:
        self.buffers[table].append(
            "\t".join([v if v.__class__ is str else "\\N" if v is None else cell(v) for v in row])
        )

    def maybe_flush(self) -> None:
        """Send the buffers when one is full; called between cases, so parents always travel with children."""
        if any(len(rows) >= CHUNK for rows in self.buffers.values()):
            self.flush()

    def flush(self) -> None:
        with connection.cursor() as cursor:
            raw = cursor.cursor
            for table in ORDER:
                rows = self.buffers[table]
                if not rows:
                    continue
                data = io.StringIO("\n".join(rows) + "\n")
                raw.copy_expert(f"COPY {table} ({', '.join(COLUMNS[table])}) FROM STDIN", data)
                self.counts[table] += len(rows)
                rows.clear()

    def finish(self) -> dict[str, int]:
        self.flush()
        for table, limit in self.limits.items():
            if self.next_ids[table] > limit:
                raise RuntimeError(f"{table}: ids ran past this worker's range; raise the stride in build._strides")
        return dict(self.counts)


def secondary_indexes(tables) -> list[tuple[str, str]]:
    """(name, definition) of the plain indexes of ``tables``: not unique, not backing a constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s) AND NOT x.indisunique AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY i.relname
            """,
            [list(tables)],
        )
        return cursor.fetchall()


def drop_indexes(indexes) -> None:
    with connection.cursor() as cursor:
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create_indexes(indexes, progress=None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for name, definition in indexes:
            cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
            if progress:
                progress(name)
