"""The machine's limit for the diary row: the rows one diary POST writes, written by plain SQL.

32 threads, each with its own psycopg2 connection, each iteration one transaction of plain
``INSERT … VALUES`` statements (one per table: key, entry, cases, events, notices, deliveries, audit)
copying the rows a real POST wrote (``template``), with fresh ids, keys and codes. Nothing of
Django runs in the loop, so its throughput is what PostgreSQL and this machine allow for our writes.

The copies go to a scratch schema made for the run (each table ``LIKE`` ours, with its indexes,
defaults and foreign keys, which check against the real referenced rows) and dropped afterwards, so
no row is left behind in the bench database and the append-only audit table is not touched.
"""

import threading
import time
import uuid
from dataclasses import dataclass

import psycopg2
from django.db import connection
from psycopg2.extras import Json

from bench.harness import Sample

# Parents before children: each table's rows point at rows of the tables before it.
TABLES = ("core_idempotencykey", "diaries_diaryentry", "diaries_visit", "cases_case", "cases_caseevent",
          "notifications_notification", "notifications_delivery", "audit_auditevent")  # fmt: skip


@dataclass
class Template:
    """The rows of one POST by table, as column → value, ids included (to map children to parents)."""

    rows: dict[str, list[dict]]

    def counts(self) -> str:
        return ", ".join(f"{t.split('_', 1)[1]} {len(r)}" for t, r in self.rows.items() if r)


def _select(cursor, sql: str, params) -> list[dict]:
    cursor.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def template(entry_id: int) -> Template:
    """Every row the POST that wrote ``entry_id`` added, read back from the database."""
    with connection.cursor() as c:
        rows = {"diaries_diaryentry": _select(c, "SELECT * FROM diaries_diaryentry WHERE id = %s", [entry_id])}
        rows["diaries_visit"] = _select(c, "SELECT * FROM diaries_visit WHERE entry_id = %s", [entry_id])
        rows["cases_case"] = _select(c, "SELECT * FROM cases_case WHERE diary_id = %s ORDER BY id", [entry_id])
        ids = [r["id"] for r in rows["cases_case"]] or [0]
        rows["cases_caseevent"] = _select(c, "SELECT * FROM cases_caseevent WHERE case_id = ANY(%s)", [ids])
        rows["notifications_notification"] = _select(
            c,
            "SELECT * FROM notifications_notification WHERE case_id = ANY(%s) OR url LIKE %s",
            [ids, f"%/diaries/{entry_id}/%"],
        )
        notices = [r["id"] for r in rows["notifications_notification"]] or [0]
        rows["notifications_delivery"] = _select(
            c, "SELECT * FROM notifications_delivery WHERE notification_id = ANY(%s)", [notices]
        )
        rows["audit_auditevent"] = _select(
            c,
            "SELECT * FROM audit_auditevent WHERE object_type = 'diaries.diaryentry' AND object_id = %s",
            [str(entry_id)],
        )
        rows["core_idempotencykey"] = _select(
            c,
            "SELECT * FROM core_idempotencykey WHERE scope = 'diary_create' AND (body->>'id')::bigint = %s",
            [entry_id],
        )
    return Template({t: rows[t] for t in TABLES})


def _scratch(cursor, schema: str) -> None:
    """The tables of TABLES again in ``schema``, with their foreign keys (to the copies where the target
    is copied too, else to the real tables)."""
    cursor.execute(f'CREATE SCHEMA "{schema}"')
    fks = []
    for table in TABLES:
        cursor.execute(f'CREATE TABLE "{schema}".{table} (LIKE public.{table} INCLUDING ALL)')
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype = 'f'",
            [f"public.{table}"],
        )
        fks += [(table, name, definition) for name, definition in cursor.fetchall()]
    cursor.execute(f'SET search_path TO "{schema}", public')
    for table, name, definition in fks:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute("SET search_path TO public")


def _value(v):
    return Json(v) if isinstance(v, dict | list) else v


def _insert(cursor, table: str, rows: list[dict]) -> list[int]:
    """One INSERT … VALUES for all ``rows`` (without their ids); the new ids in order."""
    columns = [k for k in rows[0] if k != "id"]
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    params = [_value(r[k]) for r in rows for k in columns]
    cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values} RETURNING id", params)  # noqa: S608
    return [r[0] for r in cursor.fetchall()]


def _write_one(cursor, t: Template, tag: str) -> None:
    """One POST's rows, in one transaction: ids mapped from the template's to the new ones."""
    new: dict[str, dict[int, int]] = {}

    def put(table: str, change) -> None:
        rows = t.rows[table]
        if rows:
            ids = _insert(cursor, table, [change(dict(r)) for r in rows])
            new[table] = dict(zip([r["id"] for r in rows], ids, strict=True))

    def link(r: dict, column: str, table: str) -> dict:
        if r.get(column) is not None:
            r[column] = new[table][r[column]]
        return r

    put("core_idempotencykey", lambda r: r | {"key": tag, "fingerprint": tag})
    # The entry it looked copied from is not among the copies; what it points at is the FK's concern only.
    put("diaries_diaryentry", lambda r: r | {"content": tag, "copy_of_id": None})
    entry = next(iter(new["diaries_diaryentry"].values()))
    put("diaries_visit", lambda r: r | {"entry_id": entry})
    codes = iter(range(100))
    put("cases_case", lambda r: r | {"diary_id": entry, "code": f"L{tag[-20:]}{next(codes)}"})
    put("cases_caseevent", lambda r: link(r, "case_id", "cases_case"))
    put(
        "notifications_notification",
        lambda r: link(r, "case_id", "cases_case") | {"dedupe_key": r["dedupe_key"] and f"{tag}-{next(codes)}"},
    )
    put("notifications_delivery", lambda r: link(r, "notification_id", "notifications_notification"))
    put("audit_auditevent", lambda r: r | {"object_id": str(entry)})


def run(t: Template, *, clients: int, seconds: float) -> tuple[Sample, float, int, list[str]]:
    """(latencies, req/s, transactions committed, errors) of ``clients`` threads writing ``t`` for ``seconds``."""
    schema = f"bench_limit_{uuid.uuid4().hex[:8]}"
    params = connection.get_connection_params()
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    try:
        with admin.cursor() as c:
            _scratch(c, schema)
        conns = [psycopg2.connect(**params, options=f"-c search_path={schema},public") for _ in range(clients)]
        stop = time.perf_counter() + seconds

        def client(i: int) -> None:
            conn, k = conns[i], 0
            with conn.cursor() as cursor:
                while time.perf_counter() < stop:
                    tag, k = f"limit-{i}-{k}-{uuid.uuid4().hex[:12]}", k + 1
                    start = time.perf_counter()
                    try:
                        _write_one(cursor, t, tag)
                        conn.commit()
                    except psycopg2.Error as exc:
                        conn.rollback()
                        with lock:
                            errors.append(str(exc).splitlines()[0])
                        continue
                    with lock:
                        lat.append((time.perf_counter() - start) * 1000)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        started = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.perf_counter() - started
        for conn in conns:
            conn.close()
    finally:
        with admin.cursor() as c:
            c.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.close()
    return (
        Sample(ms=lat or [float("nan")], queries=[len([r for r in t.rows.values() if r])]),
        len(lat) / elapsed,
        len(lat),
        errors,
    )
