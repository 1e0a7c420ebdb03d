"""The demo county's ledgers (民情档案): records at every station, a year of linked visits, handover notes.

Runs after the demo history (demo.history): the history's household and enterprise
visits are linked to records of their station, and the year up to yesterday gets diaries
of plain visits (bulk_create: they raise nothing, so nothing else derives from them),
and every record's schedule fields are stored through households.schedule. Skipped
when the city has records already, so a second run adds nothing.
"""

import datetime
import random
from collections import defaultdict
from types import SimpleNamespace

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import OrgKind, OrgUnit, StationAssignment
from cases.models import Case
from dashboards.models import TownshipBoundary
from demo import ledger_rows
from demo.boundaries import point_inside
from diaries.models import DiaryEntry, Visit
from households import schedule
from households.models import HandoverNote, Household, HouseholdTag

HOUSEHOLDS = (200, 400)  # per village or community
ENTERPRISES = (3, 8)
COVERAGE = (0.62, 0.86)  # share of a station's ordinary records visited over the year
LAPSED = 0.15  # key records whose officer let the schedule slip: due (or overdue) now
HANDOVER_SHARE = 0.25
HANDOVER_TEXTS = [
    "{station}共{n}户，独居老人集中在{group}组，每月至少上门一次；低保户名单以民政办最新台账为准。",
    "{station}的重点户都已建档，{group}组有两户宅基地纠纷还在调解中，接手后请先联系村两委。",
    "前任驻点干部说明：{station}企业多在工业功能区，招工和用电问题反映最多，联系人电话已核对。",
]


def _stations(city: OrgUnit) -> list:
    rows = OrgUnit.objects.filter(
        city=city, kind__in=[OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.ENTERPRISE]
    ).order_by("code")
    return [SimpleNamespace(id=s.pk, name=s.name, kind=s.kind, township_id=s.township_id, city_id=s.city_id)
            for s in rows]  # fmt: skip


@transaction.atomic
def build_ledgers(city: OrgUnit, *, seed: int, today: datetime.date | None = None) -> dict[str, int]:
    if Household.objects.filter(city=city).exists():
        return {}
    today = today or timezone.localdate()
    start = today - datetime.timedelta(days=365)
    rng = random.Random(seed + 16)
    tags = ledger_rows.TagSet.from_rows(HouseholdTag.objects.values_list("id", "name", "interval_days"))
    stations = _stations(city)
    records, tag_links = [], []
    for s in stations:
        n_h, n_e = ledger_rows.sizes_of(s.id, s.kind, HOUSEHOLDS, ENTERPRISES)
        for index in range(n_h + n_e):
            created = start - datetime.timedelta(days=rng.randrange(30, 900))
            row = ledger_rows.record(s, index, n_h, tags, created)
            records.append((row, Household(
                kind=row["kind"], station_id=s.id, township_id=s.township_id, city_id=s.city_id, name=row["name"],
                address=row["address"], phone=row["phone"], members=row["members"], credit_code=row["credit_code"],
                contact=row["contact"], industry=row["industry"], size=row["size"], status=row["status"],
                inactive_since=row["inactive_since"], interval_days=row["interval_days"],
                created_at=timezone.make_aware(datetime.datetime.combine(created, datetime.time(9))),
            )))  # fmt: skip
    Household.objects.bulk_create([h for _row, h in records], batch_size=2000)
    for row, h in records:
        tag_links.extend(Household.tags.through(household_id=h.pk, householdtag_id=t[0]) for t in row["tags"])
    Household.tags.through.objects.bulk_create(tag_links, batch_size=5000)

    by_station = defaultdict(list)
    for row, h in records:
        by_station[h.station_id].append((row, h))
    last: dict[int, datetime.date] = {}
    linked = _link_history(city, by_station, rng, last)
    written = _year_visits(city, stations, by_station, rng, start, today, last)
    _store_schedule(records, last)
    notes = _handover_notes(stations, by_station, rng, today)
    return {"records": len(records), "tags": len(tag_links), "linked": linked, "diaries": written, "notes": notes}


def _pick(rng, rows, due_first: bool):
    """A record of the station for a visit: mostly the key records (their schedule), else any active one."""
    active = [r for r in rows if r[0]["status"] == "active"]
    if not active:
        return None
    if due_first and rng.random() < 0.5:
        key = [r for r in active if r[0]["interval_days"]]
        if key:
            return rng.choice(key)
    return rng.choice(active)


def _link_history(city, by_station, rng, last) -> int:
    """The history's household and enterprise visits become visits of records of their station."""
    visits = list(
        Visit.objects.filter(entry__city=city, household__isnull=True, kind__in=["household", "enterprise"])
        .select_related("entry")
        .order_by("id")
    )
    for v in visits:
        rows = [r for r in by_station.get(v.entry.station_id, ()) if r[0]["kind"] == v.kind]
        picked = _pick(rng, rows, due_first=v.kind == "household")
        if picked is None:
            continue
        row, h = picked
        v.household, v.name, v.address, v.phone = h, h.name, h.address, h.phone
        if last.get(h.pk) is None or last[h.pk] < v.entry.visit_date:
            last[h.pk] = v.entry.visit_date
    Visit.objects.bulk_update(visits, ["household", "name", "address", "phone"], batch_size=2000)
    # A case raised in a diary with a linked visit concerns that record (the first one met).
    first = Visit.objects.filter(entry_id=OuterRef("diary_id"), household__isnull=False).order_by("id")
    Case.objects.filter(city=city, diary__isnull=False, household__isnull=True).update(
        household=Subquery(first.values("household")[:1])
    )
    return sum(v.household_id is not None for v in visits)


def _working(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=max(0, day.weekday() - 4))


def _year_visits(city, stations, by_station, rng, start, until, last) -> int:
    """Diaries of plain visits from ``start`` to the working day before ``until``: key records on their schedule,
    a share of the others once or twice; grouped into one entry per station and day."""
    officers = dict(
        StationAssignment.objects.filter(station__city=city, end__isnull=True)
        .order_by("station_id", "id")
        .values_list("station_id", "officer_id")
    )
    span = (until - start).days
    if span < 7:
        return 0
    plan = defaultdict(list)  # (station id, day) -> records
    for s in stations:
        if s.id not in officers:
            continue
        coverage = rng.uniform(*COVERAGE)
        for row, h in by_station.get(s.id, ()):
            days = []
            if row["interval_days"] and row["status"] == "active":
                step = row["interval_days"]
                day = start + datetime.timedelta(days=rng.randrange(step))
                lapse = rng.random() < LAPSED
                stop = until - datetime.timedelta(days=step + rng.randrange(10, 60)) if lapse else until
                while day < stop:
                    days.append(day)
                    day += datetime.timedelta(days=step - rng.randrange(0, 8))
            elif rng.random() < coverage:
                days = [start + datetime.timedelta(days=rng.randrange(span)) for _ in range(rng.choice((1, 1, 2)))]
            for day in days:
                if _working(day) < until:
                    plan[(s.id, _working(day))].append(h)
    stations_by_id = {s.id: s for s in stations}
    # 一张图: like the history's entries, most carry the phone's place inside the station's township.
    outlines = {b.township_id: b for b in TownshipBoundary.objects.filter(township__city=city)}
    entries, visit_rows = [], []
    for (station_id, day), met in sorted(plan.items()):
        s = stations_by_id[station_id]
        kind = "enterprise" if s.kind == OrgKind.ENTERPRISE else "household"
        for chunk in (met[i : i + 8] for i in range(0, len(met), 8)):
            outline = outlines.get(s.township_id)
            lat, lon = point_inside(outline, rng) if outline is not None and rng.random() < 0.85 else (None, None)
            entry = DiaryEntry(
                officer_id=officers[station_id], station_id=station_id, township_id=s.township_id,
                city_id=s.city_id, visit_date=day, visit_type=kind, latitude=lat, longitude=lon,
                content=f"走访{s.name}{len(chunk)}户（家），了解生产生活情况，宣传惠民政策，收集意见建议。",
                household_visits=sum(h.kind == "household" for h in chunk),
                enterprise_visits=sum(h.kind == "enterprise" for h in chunk),
                created_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(17))),
            )  # fmt: skip
            entries.append((entry, chunk))
    DiaryEntry.objects.bulk_create([e for e, _c in entries], batch_size=1000)
    for entry, chunk in entries:
        for h in chunk:
            visit_rows.append(Visit(entry_id=entry.pk, kind=h.kind, name=h.name, address=h.address, phone=h.phone,
                                    household_id=h.pk))  # fmt: skip
            if last.get(h.pk) is None or last[h.pk] < entry.visit_date:
                last[h.pk] = entry.visit_date
    Visit.objects.bulk_create(visit_rows, batch_size=2000)
    return len(entries)


def _store_schedule(records, last) -> None:
    """last_visit_on / next_visit_due exactly as households.schedule would store them."""
    for row, h in records:
        h.last_visit_on = last.get(h.pk)
        h.next_visit_due = (
            schedule.next_due(interval_days=h.interval_days, last_visit_on=h.last_visit_on, key_since=row["created"])
            if h.status == "active"
            else None
        )
    # One UPDATE per distinct (last visit, next due) pair: a county's ~16,000 records hold ~470 of them, and
    # bulk_update's CASE per row took 11 s of the seed to build in Python.
    by_pair = defaultdict(list)
    for _row, h in records:
        by_pair[(h.last_visit_on, h.next_visit_due)].append(h.pk)
    for (last_visit_on, next_visit_due), ids in by_pair.items():
        Household.objects.filter(pk__in=ids).update(last_visit_on=last_visit_on, next_visit_due=next_visit_due)


def _handover_notes(stations, by_station, rng, today) -> int:
    authors = dict(
        StationAssignment.objects.filter(station_id__in=[s.id for s in stations])
        .order_by("station_id", "id")
        .values_list("station_id", "officer_id")
    )
    notes = []
    for s in stations:
        if s.id not in authors or rng.random() >= HANDOVER_SHARE:
            continue
        text = rng.choice(HANDOVER_TEXTS).format(station=s.name, n=len(by_station.get(s.id, ())),
                                                 group=rng.randrange(1, 8))  # fmt: skip
        at = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=rng.randrange(20, 300)),
                                                           datetime.time(10)))  # fmt: skip
        notes.append(HandoverNote(station_id=s.id, author_id=authors[s.id], text=text, created_at=at))
    HandoverNote.objects.bulk_create(notes)
    return len(notes)
