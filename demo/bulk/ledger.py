"""The county's and province's ledgers (民情档案), streamed with COPY after the year of diaries.

Layout first (``plan``): every station gets a contiguous block of record ids —
households first, then enterprises — sized by demo.ledger_rows.sizes_of, so a
diary worker can link a visit to a record of its station knowing only the block
(``Picker``), and a record's fields are pure functions of (station, index).
The diary workers remember each record's last visit in an unlogged table; the
record workers (``write``) read it for their id range and store last_visit_on /
next_visit_due through households.schedule, so no record is written twice.
"""

import datetime
import io
import random
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import connection

from demo import ledger_rows
from households import schedule

LAST_VISITS = "demo_bulk_last_visit"
CHUNK = 20_000
# (households, enterprises) per village or community: HOUSEHOLDS.md's 200–800 households, and the
# province's ~500,000 enterprises over its ~20,000 stations.
SIZES = {"county": ((200, 480), (5, 30)), "province": ((200, 700), (10, 40))}
KEY_SHARE_OF_VISITS = 0.4  # of a household diary's visits, to key records (their schedule)
HOUSEHOLD_COLUMNS = ("id", "kind", "station_id", "township_id", "city_id", "name", "address", "phone", "members",
                     "credit_code", "contact", "industry", "size", "notes", "status", "inactive_since",
                     "interval_days", "last_visit_on", "next_visit_due", "created_at", "updated_at")  # fmt: skip
TAG_COLUMNS = ("id", "household_id", "householdtag_id")
TABLES = ("households_household", "households_household_tags")


@dataclass(frozen=True)
class Block:
    first_id: int
    households: int
    enterprises: int


def plan(cities, scale: str) -> dict[int, Block]:
    """Each village, community and enterprise station of the cities → its block of record ids."""
    from accounts.models import OrgKind, OrgUnit

    households, enterprises = SIZES[scale]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM households_household")
        next_id = cursor.fetchone()[0] + 1
    blocks = {}
    rows = OrgUnit.objects.filter(
        city__in=cities, kind__in=[OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.ENTERPRISE]
    ).order_by("id")
    for station_id, kind in rows.values_list("id", "kind"):
        n_h, n_e = ledger_rows.sizes_of(station_id, kind, households, enterprises)
        blocks[station_id] = Block(next_id, n_h, n_e)
        next_id += n_h + n_e
    return blocks


class Picker:
    """Which records a diary worker's visits meet: key records on their schedule, the others door by door."""

    def __init__(self, blocks: dict[int, Block], rng: random.Random, offset: float):
        self.blocks, self.rng, self.offset = blocks, rng, offset
        self.cursors: dict[int, int] = {}
        self.last: dict[int, datetime.date] = {}

    def households(self, station_id: int, count: int, day: datetime.date) -> list[tuple[int, int]]:
        """(record id, index) of ``count`` different active households of the station."""
        block = self.blocks.get(station_id)
        if block is None or block.households == 0:
            return []
        n, r, picked = block.households, self.rng, {}
        for _ in range(count):
            index = None
            if r.random() < KEY_SHARE_OF_VISITS:
                for _try in range(12):
                    i = r.randrange(n)
                    if ledger_rows.is_key(station_id, i, n):
                        index = i
                        break
            if index is None:
                cursor = self.cursors.get(station_id, int(n * self.offset))
                for step in range(n):
                    i = (cursor + step) % n
                    if ledger_rows.status_of(station_id, i) == "active":
                        break
                self.cursors[station_id] = i + 1
                index = i
            picked[block.first_id + index] = index
        for record_id in picked:
            self._seen(record_id, day)
        return list(picked.items())

    def enterprise(self, station_id: int, day: datetime.date) -> int | None:
        """An enterprise station's own record (the first of its block)."""
        block = self.blocks.get(station_id)
        if block is None or block.enterprises == 0:
            return None
        self._seen(block.first_id, day)
        return block.first_id

    def _seen(self, record_id: int, day: datetime.date) -> None:
        if self.last.get(record_id, day) <= day:
            self.last[record_id] = day

    def save(self) -> None:
        """The worker's last visit per record, for the record workers."""
        rows = "".join(f"{rid}\t{day.isoformat()}\n" for rid, day in self.last.items())
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(f"COPY {LAST_VISITS} (household_id, day) FROM STDIN", io.StringIO(rows))


def prepare() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {LAST_VISITS}")
        cursor.execute(f"CREATE UNLOGGED TABLE {LAST_VISITS} (household_id bigint NOT NULL, day date NOT NULL)")


def drop_last_visits() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {LAST_VISITS}")


def index_last_visits() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX ON {LAST_VISITS} (household_id)")
        cursor.execute(f"ANALYZE {LAST_VISITS}")


def plain_indexes() -> list[tuple[str, str]]:
    """The ledger's indexes that no constraint backs (the partial unique one too): dropped for the load."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
            WHERE t.relname = ANY(%s) AND NOT x.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
            ORDER BY i.relname
            """,
            [list(TABLES)],
        )
        return cursor.fetchall()


def tags() -> ledger_rows.TagSet:
    from households.models import HouseholdTag

    return ledger_rows.TagSet.from_rows(HouseholdTag.objects.values_list("id", "name", "interval_days"))


def _cell(value) -> str:
    return "\\N" if value is None else str(value)


def write(stations: list[tuple], blocks: dict[int, Block], tagset: ledger_rows.TagSet, first_day: datetime.date,
          tag_first_id: int, seed: int) -> dict[str, int]:  # fmt: skip
    """Records of ``stations`` ((id, name, kind, township, city)), schedule fields from the last visits."""
    if not stations:
        return {}
    lo = blocks[stations[0][0]].first_id
    last_block = blocks[stations[-1][0]]
    hi = last_block.first_id + last_block.households + last_block.enterprises
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT household_id, MAX(day) FROM {LAST_VISITS} WHERE household_id >= %s AND household_id < %s "  # noqa: S608
            "GROUP BY household_id",
            [lo, hi],
        )
        last = dict(cursor.fetchall())
    rng = random.Random(f"{seed}:ledger:{lo}")
    records, links, counts = [], [], {"households_household": 0, "households_household_tags": 0}
    tag_id = tag_first_id
    for station_id, name, kind, township_id, city_id in stations:
        block = blocks[station_id]
        station = SimpleNamespace(id=station_id, name=name, kind=kind)
        for index in range(block.households + block.enterprises):
            rid = block.first_id + index
            created = first_day - datetime.timedelta(days=rng.randrange(30, 900))
            row = ledger_rows.record(station, index, block.households, tagset, created)
            seen = last.get(rid)
            due = None
            if row["status"] == "active":
                due = schedule.next_due(interval_days=row["interval_days"], last_visit_on=seen, key_since=created)
            at = f"{created.isoformat()} 09:00:00+08"
            records.append("\t".join((
                str(rid), row["kind"], str(station_id), str(township_id), str(city_id), row["name"], row["address"],
                row["phone"], _cell(row["members"]), row["credit_code"], row["contact"], row["industry"], row["size"],
                "", row["status"], _cell(row["inactive_since"]), _cell(row["interval_days"]), _cell(seen),
                _cell(due), at, at,
            )))  # fmt: skip
            for tag in row["tags"]:
                links.append(f"{tag_id}\t{rid}\t{tag[0]}")
                tag_id += 1
        if len(records) >= CHUNK:
            _copy(records, links, counts)
    _copy(records, links, counts)
    return counts


def _copy(records: list[str], links: list[str], counts: dict) -> None:
    with connection.cursor() as cursor:
        for table, columns, rows in (("households_household", HOUSEHOLD_COLUMNS, records),
                                     ("households_household_tags", TAG_COLUMNS, links)):  # fmt: skip
            if rows:
                data = io.StringIO("\n".join(rows) + "\n")
                cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", data)
                counts[table] += len(rows)
                rows.clear()


def move_sequences() -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM {table}), 1))"
            )


def tag_id_base() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM households_household_tags")
        return cursor.fetchone()[0] + 1
