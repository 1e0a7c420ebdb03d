"""A year of history for the county and province scales, streamed into PostgreSQL with COPY.

Day by day over the year before ``end``: the day's diary entries (each at an
officer's station, with its visits), the cases raised from them and from the
desks' other channels, and each case's whole way round its loop up to
``end`` (demo.bulk.planner, demo.bulk.lifecycle). Everything comes from one
seeded RNG, so the same seed and end give the same rows.

Open cases: cases raised in the last OPEN_WINDOW_DAYS are left open with the
probability that makes ``sizes.open_cases`` of them; each open case's
running deadline is placed by planner.OPEN_CLASSES — 5 % fall between
``end`` and the same time one working day later, 12 % have passed already
(flagged overdue, with the sweep's claim and timeline event, as if the
sweep had run), the rest later. So ``sweep_deadlines --at <next_sweep(end)>``
finds about 5 % of the open cases newly overdue: 1,000 of 20,000 at
province scale. ``next_sweep()`` gives that moment.
"""

import datetime
import random
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection

from cases.choices import Level, Source, Status
from demo.bulk import texts
from demo.bulk.calendar import Calendar
from demo.bulk.context import load
from demo.bulk.lifecycle import Deadlines, Lifecycle
from demo.bulk.planner import Planner
from demo.bulk.writer import COLUMNS, Writer, create_indexes, drop_indexes, secondary_indexes, stamp

OPEN_WINDOW_DAYS = 40
DAYS = 365
OFF_DAY_WEIGHT = 0.3  # weekends and holidays see a third of a working day's diaries
DIARY_SHARE = 0.85  # of the cases, raised from diaries; the rest by the desks from other channels
ONSITE_SHARE = 0.47  # of the diary cases, solved on the spot
ESCALATED_SHARE = 0.06  # of the diary cases, lifted to the city
CITY_DESK_SHARE = 0.35  # of the desk cases, taken in by the city office


@dataclass(frozen=True)
class HistorySizes:
    cases: int
    diaries: int
    open_cases: int


HISTORY = {
    "county": HistorySizes(cases=10_000, diaries=30_000, open_cases=200),
    "province": HistorySizes(cases=1_000_000, diaries=3_000_000, open_cases=20_000),
}


def history_exists(cities) -> bool:
    from cases.models import Case

    return Case.objects.filter(city__in=cities).exists()


def next_sweep(end: datetime.datetime) -> datetime.datetime:
    """The sweep one working day after ``end`` (aware), where about 5 % of the open cases are newly overdue."""
    from core import workdays

    return workdays.add_working_days(end, 1)


class Progress:
    """A one-line progress bar on stderr (no dependency: a carriage return and a percentage)."""

    def __init__(self, total: int, label: str, stream=None):
        self.total, self.label, self.done = max(total, 1), label, 0
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.shown = -1.0

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if now - self.shown >= 1:
            self.shown = now
            share = min(self.done / self.total, 1)
            bar = "#" * int(share * 30)
            self.stream.write(f"\r{self.label} [{bar:<30}] {share:6.1%} {now - self.started:6.0f}s")
            self.stream.flush()

    def close(self, note: str = "") -> None:
        self.stream.write(f"\r{self.label} done in {time.monotonic() - self.started:.0f}s {note}\n")
        self.stream.flush()


def _quotas(days: list[datetime.date], calendar: Calendar, total: int) -> list[int]:
    weights = [1.0 if calendar.is_working(d) else OFF_DAY_WEIGHT for d in days]
    whole, out, running = sum(weights), [], 0.0
    given = 0
    for w in weights:
        running += w
        target = round(total * running / whole)
        out.append(target - given)
        given = target
    return out


def build(cities, sizes: HistorySizes, *, seed: int, end: datetime.datetime, password: str,
          progress_stream=None) -> dict[str, int]:  # fmt: skip
    """Write the history; ``end`` is an aware moment. Returns the rows written per table."""
    assert connection.vendor == "postgresql"
    local_end = end.astimezone(datetime.timezone(datetime.timedelta(hours=8))).replace(tzinfo=None, microsecond=0)
    first_day = local_end.date() - datetime.timedelta(days=DAYS - 1)
    calendar = Calendar(first_day - datetime.timedelta(days=10), local_end.date() + datetime.timedelta(days=120))
    rng = random.Random(seed)
    text = texts.Texts(rng)
    ctx = load(cities, password)
    deadlines = Deadlines(calendar)
    indexes = secondary_indexes(COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        try:  # a superuser skips the row-by-row foreign-key triggers; the rows are built consistent
            cursor.execute("SAVEPOINT replica" if connection.in_atomic_block else "SELECT 1")
            cursor.execute("SET session_replication_role = replica")
        except Exception:  # noqa: BLE001 - not a superuser: keep the checks, only slower
            if connection.in_atomic_block:
                cursor.execute("ROLLBACK TO SAVEPOINT replica")
    drop_indexes(indexes)
    try:
        days = [first_day + datetime.timedelta(days=i) for i in range(DAYS)]
        bar = Progress(sizes.cases, "seed_demo: cases", progress_stream)
        writer = Writer()
        life = Lifecycle(writer, deadlines, settings.CASE_CODE_PREFIX)
        planner = Planner(ctx, deadlines, rng, text)
        _History(ctx, sizes, rng, text, writer, life, planner, bar, days, calendar, local_end).run()
        bar.done = bar.total - 1
        bar.update()
        counts = writer.finish()
        bar.close(f"({counts['cases_case']:,} cases)")
    finally:
        index_bar = Progress(len(indexes), "seed_demo: indexes", progress_stream)
        create_indexes(indexes, lambda name: index_bar.update())
        index_bar.close()
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
    counts.update(life.stats)
    return counts


class _History:
    def __init__(self, ctx, sizes, rng, text, writer, life, planner, bar, days, calendar, end):
        self.ctx, self.sizes, self.rng, self.t, self.w = ctx, sizes, rng, text, writer
        self.life, self.planner, self.bar, self.days, self.cal, self.end = life, planner, bar, days, calendar, end
        self.by_city = {c.id: i for i, c in enumerate(ctx.cities)}
        self.hot = self._plant_hotspots()
        self.misses = 0

    def run(self) -> None:
        cases_per_day = _quotas(self.days, self.cal, self.sizes.cases)
        diaries_per_day = _quotas(self.days, self.cal, self.sizes.diaries)
        window = self.days[-OPEN_WINDOW_DAYS:]
        in_window = sum(cases_per_day[-OPEN_WINDOW_DAYS:])
        # Only cases that go round a loop can wait (the on-site ones close at once), and a few draws do not fit.
        self.p_open = min(0.95, self.sizes.open_cases / max(in_window * (1 - DIARY_SHARE * ONSITE_SHARE), 1))
        self.window_start = window[0]
        for day, n_cases, n_diaries in zip(self.days, cases_per_day, diaries_per_day, strict=True):
            self._day(day, n_cases, max(n_diaries, 1))
        self.w.flush()
        self.life.stats["open_misses"] = self.misses

    def _plant_hotspots(self) -> dict:
        """Recurring complaints: per city, a few texts raised in 3–6 townships within two weeks of the last 90 days."""
        plan = {}
        for city_index, city in enumerate(self.ctx.cities):
            for n, (code, complaint) in enumerate(texts.RECURRING):
                first = self.days[-80 + n * 15]
                townships = self.rng.sample(city.townships, k=min(len(city.townships), self.rng.randrange(3, 7)))
                for township in townships:
                    for _k in range(self.rng.randrange(2, 5)):
                        day = first + datetime.timedelta(days=self.rng.randrange(14))
                        plan.setdefault(day, []).append((city_index, township, code, complaint))
        return plan

    def _day(self, day: datetime.date, n_cases: int, n_diaries: int) -> None:
        r = self.rng
        n_diary_cases = round(n_cases * DIARY_SHARE)
        per_entry = [0] * n_diaries
        for _ in range(n_diary_cases):
            per_entry[r.randrange(n_diaries)] += 1
        for raised in per_entry:
            entry = self._diary(day)
            for _ in range(raised):
                self._diary_case(entry)
        for _ in range(n_cases - n_diary_cases):
            self._desk_case(day)
        for city_index, township, code, complaint in self.hot.get(day, ()):
            self._desk_case(day, planted=(city_index, township, code, complaint))

    def _diary(self, day: datetime.date) -> dict:
        r, w = self.rng, self.w
        officer, station, township, city, kind, name = r.choice(self.ctx.assignments)
        written = datetime.datetime.combine(day, datetime.time(16)) + datetime.timedelta(minutes=r.randrange(300))
        if written > self.end:
            written = self.end - datetime.timedelta(minutes=r.randrange(1, 60))
        if kind == "enterprise":
            visit_type, visits = "enterprise", [("enterprise", name)]
        else:
            visit_type = r.choices(("household", "meeting", "phone"), (85, 10, 5))[0]
            if visit_type == "household":
                visits = [("household", f"{self.t.person()}家") for _ in range(r.choice((1, 1, 1, 2, 2, 3)))]
            else:
                visits = [("group", f"{name}村民代表")]
        entry_id = w.new_id("diaries_diaryentry")
        households = sum(v[0] == "household" for v in visits)
        enterprises = sum(v[0] == "enterprise" for v in visits)
        w.add("diaries_diaryentry", (entry_id, officer, station, township, city, day.isoformat(), visit_type,
                                     self.t.diary(name), households, enterprises, stamp(written)))  # fmt: skip
        for visit_kind, visit_name in visits:
            w.add("diaries_visit", (w.new_id("diaries_visit"), entry_id, visit_kind, visit_name, "", ""))
        return {"id": entry_id, "officer": officer, "station": station, "township": township, "city": city,
                "name": name, "at": written}  # fmt: skip

    def _category(self) -> tuple[str, int, str]:
        return self.rng.choice(self.ctx.categories)

    def _diary_case(self, entry: dict) -> None:
        r = self.rng
        code, category_id, difficulty = self._category()
        level = Level.ONSITE if r.random() < ONSITE_SHARE else Level.TOWNSHIP
        c = self._new_case(code, category_id, difficulty, entry["at"], entry["township"], entry["city"])
        c.update(level=level, source=Source.DIARY, station_id=entry["station"], officer_id=entry["officer"],
                 created_by_id=entry["officer"], diary_id=entry["id"], reporter_address=self.t.address(entry["name"]))  # fmt: skip
        if level == Level.TOWNSHIP and r.random() < ESCALATED_SHARE / (1 - ONSITE_SHARE):
            c["_escalate"] = True
        self._finish(c)

    def _desk_case(self, day: datetime.date, planted=None) -> None:
        r = self.rng
        if planted:
            city_index, township, code, complaint = planted
            category_id, difficulty = next((i, d) for k, i, d in self.ctx.categories if k == code)
        else:
            city_index = r.randrange(len(self.ctx.cities))
            township = r.choice(self.ctx.cities[city_index].townships)
            code, category_id, difficulty = self._category()
        city = self.ctx.cities[city_index]
        at = datetime.datetime.combine(day, datetime.time(8, 40)) + datetime.timedelta(minutes=r.randrange(520))
        if at > self.end:
            at = self.end - datetime.timedelta(minutes=r.randrange(1, 120))
        c = self._new_case(code, category_id, difficulty, at, township.id, city.id)
        if planted:
            c["title"], c["description"] = self.t.recurring(complaint, r.choice(township.villages or [township.name]))
        by_city = r.random() < CITY_DESK_SHARE
        c.update(level=Level.CITY if by_city else Level.TOWNSHIP,
                 source=r.choice((Source.MAYOR_HOTLINE, Source.PETITION) if by_city else
                                 (Source.PHONE, Source.WALK_IN, Source.MONTHLY_MEETING, Source.PETITION)),
                 created_by_id=city.office if by_city else township.desk)  # fmt: skip
        self._finish(c)

    def _new_case(self, code, category_id, difficulty, at, township_id, city_id) -> dict:
        r = self.rng
        title, description = self.t.case(code)
        urgency = r.choices(("normal", "urgent", "emergency"), (90, 9, 1))[0]
        return {"id": self.w.new_id("cases_case"), "title": title, "description": description,
                "category_id": category_id, "_code": code, "difficulty": difficulty, "urgency": urgency,
                "city_id": city_id, "township_id": township_id, "_city": self.by_city[city_id], "station_id": None,
                "officer_id": None, "diary_id": None, "reporter_name": self.t.person(),
                "reporter_phone": self.t.mobile(), "reporter_address": "", "created_at": at}  # fmt: skip

    def _finish(self, c: dict) -> None:
        r, t0 = self.rng, c["created_at"]
        steps = None
        if c["level"] != Level.ONSITE and t0.date() >= self.window_start and r.random() < self.p_open:
            c["urgency"] = "normal"
            steps = self.planner.open(c, t0, self.end)
            self.misses += steps is None
        if steps is None and c["level"] != Level.ONSITE:
            steps = self.planner.closed(c, t0, self.end)
        if steps is None and c["officer_id"] is None:
            # A desk case raised in the last hours: still waiting for dispatch.
            steps = self.planner.full(c, t0, cut=Status.PENDING_DISPATCH)
        elif steps is None:
            c["level"] = Level.ONSITE  # raised too late to go round a loop: solved on the spot
            c.pop("_escalate", None)
        if c["level"] == Level.ONSITE:
            on_spot = r.random() < 0.6 or t0 + datetime.timedelta(days=3) > self.end
            info = {"by": c["created_by_id"], "note": "当场协调解决", "feedback": "已当面告知处理结果",
                    "satisfaction": r.choice(("satisfied",) * 5 + ("basically_satisfied",)) if on_spot else ""}  # fmt: skip
            steps = [("raise", t0, info)]
            if not on_spot:
                caller = self.ctx.townships[c["township_id"]].desk
                at = self.planner.cal.add_hours(t0, r.uniform(4, 20))
                if at < self.end:
                    steps.append(("callback", at, {"by": caller, "solved": True,
                                                   "satisfaction": r.choice(("satisfied", "basically_satisfied"))}))  # fmt: skip
        if c.get("_escalate"):
            c["level"] = Level.TOWNSHIP
        self.life.apply(c, steps, end=self.end)
        self.w.maybe_flush()
        self.bar.update()
