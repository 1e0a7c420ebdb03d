"""seed_demo's bulk history (county/province scales) at a tiny size: the rows agree with each other,
with the metrics engine and with the deadline sweep."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.utils import timezone

from accounts.scope import Scope
from cases import deadlines
from cases.choices import APPEAL_EVENTS, CLOCK_OF_STATUS, ORDER_EVENTS, Action, Clock, Status
from cases.lifecycle_table import DEADLINE_FIXED_BY, STATUS_AFTER
from cases.models import Case, CaseEvent, Dispatch
from cases.sweep import sweep
from cases.sweep.timing import SUPERVISE_AFTER_WORKING_DAYS
from cases.transitions import check
from core import workdays
from dashboards import metrics
from dashboards.models import (
    CaseStatDay,
    DetectionRun,
    DiaryStatDay,
    Hotspot,
    HotspotKind,
    OfficerMonth,
    RolledDay,
)
from dashboards.selection import Area, Selection
from dashboards.services.hotspots import hotspots_detect_all
from dashboards.services.rollup import rollup_day
from demo.bulk.build import next_sweep
from demo.bulk.texts import RECURRING
from diaries.models import DiaryEntry
from notifications import texts
from tests.module_data import committed

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.clock]

CASES, DIARIES, OPEN = 1500, 4000, 40


def _scalar(sql: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One build for the module, committed; each test's own changes roll back, the build is removed at the end."""
    with committed(django_db_blocker):
        out = io.StringIO()
        call_command("seed_demo", scale="county", cases=CASES, diaries=DIARIES, open_cases=OPEN, stdout=out,
                     stderr=io.StringIO())  # fmt: skip
        yield out.getvalue()


def test_counts_statuses_timelines_and_links(seeded):
    assert DiaryEntry.objects.count() == DIARIES
    # The planted recurring complaints come on top of the asked-for number.
    assert CASES <= Case.objects.count() <= CASES * 1.1
    # About OPEN are left open; at this tiny size chance moves it by a dozen either way (the
    # random streams start from ids, which depend on what ran before in the session).
    assert OPEN * 0.5 <= Case.objects.exclude(status="closed").count() <= OPEN * 1.75
    assert {"onsite", "township", "city"} <= set(Case.objects.values_list("level", flat=True))
    assert len(set(Case.objects.values_list("status", flat=True))) >= 4
    checks = {
        # Every case's status is the one its last event left it in, and its first event raised it.
        "status = last event": """SELECT COUNT(*) FROM cases_case c WHERE c.status IS DISTINCT FROM (
            SELECT e.to_status FROM cases_caseevent e WHERE e.case_id = c.id ORDER BY e.created_at DESC, e.id DESC
            LIMIT 1)""",
        "raised first": """SELECT COUNT(*) FROM cases_case c WHERE 'raise' IS DISTINCT FROM (
            SELECT e.action FROM cases_caseevent e WHERE e.case_id = c.id ORDER BY e.created_at, e.id LIMIT 1)""",
        "event before raising or in the future": """SELECT COUNT(*) FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id
            WHERE e.created_at < c.created_at OR e.created_at > %s""",
        "closed without feedback or closed_at": """SELECT COUNT(*) FROM cases_case c WHERE c.status = 'closed' AND
            (c.closed_at IS NULL OR c.clock <> '' OR NOT EXISTS (SELECT 1 FROM cases_feedback f WHERE f.case_id = c.id)
             OR NOT EXISTS (SELECT 1 FROM cases_callback b WHERE b.case_id = c.id AND b.closes))""",
        "open but closed_at or no deadline": """SELECT COUNT(*) FROM cases_case c WHERE c.status <> 'closed' AND
            (c.closed_at IS NOT NULL OR c.due_at IS NULL OR c.clock = '')""",
        "running deadline not the clock's": """SELECT COUNT(*) FROM cases_case c WHERE c.status <> 'closed' AND
            c.due_at IS DISTINCT FROM CASE c.clock WHEN 'dispatch' THEN c.dispatch_due WHEN 'sign' THEN c.sign_due
              WHEN 'handle' THEN c.handle_due WHEN 'review' THEN c.review_due WHEN 'feedback' THEN c.feedback_due
              WHEN 'callback' THEN c.callback_due END""",
        "dispatched without deadlines": """SELECT COUNT(*) FROM cases_dispatch d WHERE d.sign_due IS NULL
            OR d.handle_due IS NULL OR d.sign_due <= d.dispatched_at OR d.handle_due <= d.dispatched_at""",
        "case with a unit but no dispatch": """SELECT COUNT(*) FROM cases_case c WHERE c.unit_id IS NOT NULL AND
            NOT EXISTS (SELECT 1 FROM cases_dispatch d WHERE d.case_id = c.id AND d.unit_id = c.unit_id)""",
        "township not in the city": """SELECT COUNT(*) FROM cases_case c JOIN accounts_orgunit t ON t.id = c.township_id
            WHERE t.city_id <> c.city_id OR t.kind NOT IN ('township', 'park')""",
        "station not in the township": """SELECT COUNT(*) FROM cases_case c JOIN accounts_orgunit s ON s.id = c.station_id
            WHERE s.township_id <> c.township_id""",
        "case not its diary's": """SELECT COUNT(*) FROM cases_case c JOIN diaries_diaryentry d ON d.id = c.diary_id
            WHERE d.officer_id <> c.officer_id OR d.station_id <> c.station_id OR c.created_at < d.created_at""",
        "diary off its officer's station": """SELECT COUNT(*) FROM diaries_diaryentry d WHERE NOT EXISTS (
            SELECT 1 FROM accounts_stationassignment a WHERE a.officer_id = d.officer_id AND a.station_id = d.station_id)
            OR d.township_id <> (SELECT s.township_id FROM accounts_orgunit s WHERE s.id = d.station_id)""",
        "visit counts": """SELECT COUNT(*) FROM diaries_diaryentry d WHERE d.household_visits <> (
            SELECT COUNT(*) FROM diaries_visit v WHERE v.entry_id = d.id AND v.kind = 'household')""",
        "township unit outside the township": """SELECT COUNT(*) FROM cases_dispatch d
            JOIN cases_case c ON c.id = d.case_id JOIN accounts_orgunit u ON u.id = d.unit_id
            WHERE (d.level = 'township' AND (u.kind <> 'township_office' OR u.township_id <> c.township_id))
               OR (d.level = 'city' AND (u.kind <> 'department' OR u.city_id <> c.city_id))""",
    }
    # Every foreign key of the bulk tables points at a row (the build skips the row-by-row triggers).
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.conrelid::regclass, a.attname, c.confrelid::regclass, f.attname FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND c.conrelid::regclass::text IN ('cases_case', 'cases_caseevent', 'cases_dispatch',
              'cases_extension', 'cases_feedback', 'cases_callback', 'diaries_diaryentry', 'diaries_visit',
              'notifications_sweepclaim', 'households_household', 'households_household_tags')""")
        for table, column, parent, key in cursor.fetchall():
            checks[f"{table}.{column}"] = (
                f"SELECT COUNT(*) FROM {table} x WHERE x.{column} IS NOT NULL AND NOT EXISTS "  # noqa: S608
                f"(SELECT 1 FROM {parent} p WHERE p.{key} = x.{column})"
            )
    # "The future" is the pinned clock's, not the database server's.
    broken = {name: n for name, sql in checks.items() if (n := _scalar(sql, [timezone.now()] if "%s" in sql else None))}
    assert broken == {}


def test_dashboards_show_the_year_at_once_and_agree_with_raw_counts(seeded):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    first = yesterday - datetime.timedelta(days=364)
    assert RolledDay.objects.filter(day__gte=first, day__lte=yesterday).count() == 365
    figures = metrics.overview(Selection(area=Area(scope=Scope(everything=True)), date_from=first, date_to=yesterday))
    since = datetime.datetime.combine(first, datetime.time.min, tzinfo=timezone.get_current_timezone())
    until = datetime.datetime.combine(yesterday + datetime.timedelta(days=1), datetime.time.min,
                                      tzinfo=timezone.get_current_timezone())  # fmt: skip
    raw = {
        "raised": "SELECT COUNT(*) FROM cases_case WHERE created_at >= %s AND created_at < %s",
        "closed": "SELECT COUNT(*) FROM cases_case WHERE created_at >= %s AND created_at < %s AND status = 'closed'",
        "solved_on_site": "SELECT COUNT(*) FROM cases_case WHERE created_at >= %s AND created_at < %s AND level = 'onsite'",
        "dispatches": "SELECT COUNT(*) FROM cases_dispatch WHERE dispatched_at >= %s AND dispatched_at < %s",
        "returned": "SELECT COUNT(*) FROM cases_dispatch WHERE dispatched_at >= %s AND dispatched_at < %s "
        "AND returned_at IS NOT NULL",
        "replies_approved": "SELECT COUNT(*) FROM cases_dispatch WHERE approved_at >= %s AND approved_at < %s",
    }
    for key, sql in raw.items():
        assert figures[key] == _scalar(sql, [since, until]), key
    assert figures["diaries"] == DiaryEntry.objects.filter(visit_date__gte=first, visit_date__lte=yesterday).count()
    # Active officers come from the per-month bit sets: exact for a period that cuts months in the middle too.
    for start, end in (
        (first, yesterday),
        (first + datetime.timedelta(days=17), yesterday - datetime.timedelta(days=9)),
    ):
        sel = Selection(area=Area(scope=Scope(everything=True)), date_from=start, date_to=end)
        writers = DiaryEntry.objects.filter(visit_date__gte=start, visit_date__lte=end).values("officer_id")
        assert metrics.overview(sel)["active_officers"] == writers.distinct().count(), (start, end)
    assert figures["feedback_rate"] == 1.0
    # Stored handle hours are what the working-day calendar says (the dashboards only sum them).
    approved = Dispatch.objects.filter(approved_at__isnull=False).order_by("id")[:300]
    for d in approved:
        expected = workdays.working_hours_between(d.dispatched_at, d.replied_at or d.approved_at)
        assert d.handle_hours == pytest.approx(expected, abs=1e-6), d.pk
    for key in ("completion_rate", "on_time_rate", "response_rate", "satisfaction_rate", "resolution_rate"):
        assert 0.5 < figures[key] < 1.0, (key, figures[key])
    # The set-based roll-up writes what the nightly one (the definition) writes, day by day.
    busiest = (
        CaseStatDay.objects.filter(grain="uc", day__lt=yesterday)
        .order_by("-dispatches", "day")
        .values_list("day", flat=True)
    )
    for day in {busiest[0], yesterday - datetime.timedelta(days=3), first}:
        mine, months = _stat_rows(day), _officer_months(day)
        rollup_day(day)
        assert _stat_rows(day) == mine, day
        assert _officer_months(day) == months, day


def _officer_months(day):
    rows = OfficerMonth.objects.filter(month=day.replace(day=1))
    return sorted(rows.values_list("city_id", "township_id", "unit_id", "officer_id", "days"), key=repr)


def _stat_rows(day):
    cases = sorted(
        [
            r[:-1] + (round(r[-1], 6),)
            for r in CaseStatDay.objects.filter(day=day).values_list(
            "grain", "city_id", "township_id", "unit_id", "category_id", "raised", "solved_on_site", "closed",
            "closed_on_time", "closed_with_feedback", "dispatches", "responded", "returned", "callbacks_reached",
            "callbacks_solved", "callbacks_answered", "callbacks_satisfied", "replies_approved", "handle_hours",
            )
        ],
        key=repr,
    )  # fmt: skip
    diaries = sorted(
        DiaryStatDay.objects.filter(day=day).values_list(
            "grain", "city_id", "township_id", "unit_id", "officer_id", "diaries", "household_visits",
            "enterprise_visits",
        ), key=repr
    )  # fmt: skip
    return cases, diaries


def test_next_working_days_sweep_finds_the_newly_overdue(seeded):
    at = next_sweep(timezone.now())
    # ~5 % of the open cases fall due by then; with only 40 of them the next working day may by chance
    # hold none, and then the sweep runs at the first deadline still to come.
    running = Case.objects.exclude(status="closed").exclude(clock="feedback").filter(overdue=False)
    if not running.filter(due_at__lte=at).exists():
        at = running.filter(due_at__gt=at).order_by("due_at").values_list("due_at", flat=True).first() or at
    expected = _scalar(
        """SELECT COUNT(*) FROM cases_case c WHERE c.status <> 'closed' AND c.clock <> 'feedback' AND c.due_at <= %s
        AND NOT EXISTS (SELECT 1 FROM notifications_sweepclaim k WHERE k.rule = 'overdue' AND k.case_id = c.id
                        AND k.clock = c.clock AND k.due_at = c.due_at)""",
        [at],
    )
    already = Case.objects.filter(overdue=True).count()
    assert already and expected
    assert not Case.objects.filter(overdue=True, due_at__gt=timezone.now()).exists()
    counts = sweep(now=at)
    assert counts["overdue"] == expected
    open_cases = Case.objects.exclude(status="closed")
    assert open_cases.filter(overdue=True).count() == open_cases.filter(due_at__lte=at).count()
    assert Case.objects.filter(overdue=True).count() - already == expected + counts["feedback_overdue"]


def test_a_second_run_adds_nothing(seeded):
    tables = ("cases_case", "cases_caseevent", "diaries_diaryentry", "cases_dispatch", "dashboards_casestatday")
    before = {t: _scalar(f"SELECT COUNT(*) FROM {t}") for t in tables}  # noqa: S608
    out = io.StringIO()
    call_command("seed_demo", scale="county", cases=CASES, diaries=DIARIES, stdout=out, stderr=io.StringIO())
    assert "nothing added" in out.getvalue()
    assert before == {t: _scalar(f"SELECT COUNT(*) FROM {t}") for t in tables}  # noqa: S608


def test_planted_recurring_complaints_are_found_as_hotspots(seeded):
    # seed_demo ends with a detection: the page of a fresh demo is not empty.
    assert DetectionRun.objects.exists() and Hotspot.objects.exists()
    hotspots_detect_all()
    spots = list(Hotspot.objects.filter(kind=HotspotKind.HOTSPOT).select_related("category")
                 .prefetch_related("members__case"))  # fmt: skip
    for code, wordings in RECURRING:
        # One hotspot per planted complaint (a surge: nothing alike the year before), in its category,
        # over 3+ townships, made of its own cases.
        mine = [s for s in spots if any(w in s.title for w in wordings)]
        assert len(mine) == 1, wordings
        assert mine[0].category.code == code and mine[0].townships >= 3
        members = [m.case.title for m in mine[0].members.all()]
        assert sum(any(w in t for w in wordings) for t in members) >= 0.8 * len(members)
    # Everyday complaints alike across townships, about as often as the year before, are 常态问题 instead.


# -- the seeder's lifecycle is the app's (cases.transitions, cases.lifecycle_table, cases.deadlines) ----------


def _timelines(case_ids=None) -> dict[int, list[CaseEvent]]:
    events = CaseEvent.objects.order_by("case_id", "created_at", "id").only(
        "case_id", "action", "from_status", "to_status", "level", "note", "data", "created_at"
    )
    if case_ids is not None:
        events = events.filter(case_id__in=case_ids)
    out: dict[int, list[CaseEvent]] = {}
    for event in events:
        out.setdefault(event.case_id, []).append(event)
    return out


def test_every_event_written_is_allowed_from_where_the_case_was_and_lands_where_the_app_says(seeded):
    timelines = _timelines()
    seen = set()
    for case_id, events in timelines.items():
        status = ""
        for e in events:
            seen.add(e.action)
            assert e.from_status == status, (case_id, e.action)
            if e.action == Action.RAISE:
                # Raised for help, or solved on the spot: fed back (and called back) there and then.
                on_site = (STATUS_AFTER[Action.FEEDBACK], STATUS_AFTER[Action.CALLBACK])
                assert e.to_status in (STATUS_AFTER[Action.RAISE], *on_site), case_id
            else:
                if e.action != Action.OVERDUE:  # the sweep's flag, not an action anyone takes
                    check(e.action, e.from_status)  # raises TransitionNotAllowed
                after = STATUS_AFTER[e.action]
                assert e.to_status == (e.from_status if after is None else after), (case_id, e.action)
            status = e.to_status
    # 批示 are a leader's own words, 督办单 and 挂账 the city office's decisions: the seeder makes none up.
    assert seen >= set(Action.values) - {
        Action.REDO,
        Action.LINK_PROJECT,
        Action.PROJECT_UPDATE_DRAFTED,
        Action.HANDOVER,
        Action.INSTRUCTION,
        Action.INSTRUCTION_REPORT,
        Action.HOLD_REQUEST,
        Action.HOLD_DECISION,
        Action.RELEASE,
        Action.UNREASONABLE_REQUEST,  # 不合理诉求 are a desk's and the city office's judgement, not made up either
        Action.UNREASONABLE_DECISION,
        Action.INVALID,  # 无效 (spam, a test) is the desk's call on a resident's request; the bulk history has none
        *ORDER_EVENTS,
        *APPEAL_EVENTS,
    }


def test_every_deadline_written_is_what_cases_deadlines_gives(seeded):
    # A sample of the cases (core.workdays answers one deadline at a time), every urgency in it.
    ids = list(Case.objects.order_by("id").values_list("id", flat=True)[::4])
    # Emergencies are rare: the first of each urgency joins the sample whatever the stride met.
    ids += [Case.objects.filter(urgency=u).order_by("id").values_list("id", flat=True).first() for u in
            ("normal", "urgent", "emergency")]  # fmt: skip
    ids = sorted({i for i in ids if i is not None})
    cases = Case.objects.in_bulk(ids)
    assert {c.urgency for c in cases.values()} == {"normal", "urgent", "emergency"}
    # Sign-for and handle deadlines are fixed at dispatch; an approved extension moves the handle deadline
    # on from where it was (case_extension_decide), within the caps.
    dispatches = Dispatch.objects.filter(case_id__in=ids).select_related("case").prefetch_related("extensions")
    extended = 0
    for d in dispatches:
        urgency = d.case.urgency
        assert d.sign_due == deadlines.due(d.dispatched_at, level=d.level, urgency=urgency, clock=Clock.SIGN), d.pk
        handle = deadlines.due(d.dispatched_at, level=d.level, urgency=urgency, clock=Clock.HANDLE)
        approved = sorted((x for x in d.extensions.all() if x.decision == "approved"), key=lambda x: x.decided_at)
        for extension in approved:
            handle = workdays.add_working_days(handle, extension.days)
        assert d.handle_due == handle, d.pk
        assert len(approved) <= deadlines.MAX_EXTENSIONS_PER_LEVEL
        assert sum(x.days for x in approved) == d.extension_days <= deadlines.MAX_EXTENSION_DAYS
        extended += bool(approved)
    assert extended
    # Replaying each timeline: every other clock starts when the case enters the status it runs in; the case
    # keeps the last deadline of each, and the dispatch's while its unit holds the case. The sweep's events
    # come after the deadline they name, in its words.
    checked = 0
    for case_id, events in _timelines(ids).items():
        case, expected = cases[case_id], {}
        for e in events:
            if e.action == Action.DISPATCH:
                expected[Clock.HANDLE] = deadlines.due(e.created_at, level=e.level, urgency=case.urgency,
                                                       clock=Clock.HANDLE)  # fmt: skip
            if e.action == Action.EXTENSION_DECISION and e.data["approve"]:
                expected[Clock.HANDLE] = workdays.add_working_days(expected[Clock.HANDLE], e.data["days"])
            if e.action in (Action.RETURN, Action.ESCALATE):  # cases.services.core.release_unit
                expected[Clock.SIGN] = expected[Clock.HANDLE] = None
            if e.action == Action.OVERDUE:
                clock, due = e.data["clock"], expected[e.data["clock"]]
                label, shown = texts.render(Clock(clock).label), timezone.localtime(due).strftime("%Y-%m-%d %H:%M")
                assert e.note == texts.render(texts.OVERDUE_EVENT_NOTE, clock=label, due=shown), e.pk
                assert e.created_at > due, e.pk
            if e.action == Action.SUPERVISE:
                late = workdays.add_working_days(expected[Clock.HANDLE], SUPERVISE_AFTER_WORKING_DAYS)
                assert late <= e.created_at < late + datetime.timedelta(minutes=10), e.pk
                assert e.note == texts.render(texts.SUPERVISE_EVENT_NOTE) and e.data == {"automatic": True}
            clock = CLOCK_OF_STATUS.get(e.to_status)
            # Every action that leads somewhere starts the clock of where it leads (an escalation restarts
            # the dispatch clock at the city's level).
            moves = e.action == Action.RAISE or STATUS_AFTER[e.action] is not None
            if moves and clock and clock not in DEADLINE_FIXED_BY:
                expected[clock] = deadlines.due(e.created_at, level=e.level, urgency=case.urgency, clock=clock)
        assert {clock: getattr(case, f"{clock}_due") for clock in expected} == expected, case_id
        checked += len(expected)
    assert checked > 1000


def test_supervised_five_working_days_past_the_handle_deadline_whatever_the_status(seeded):
    # When, and in whose words: test_every_deadline_written_is_what_cases_deadlines_gives. Not only cases
    # in progress: a case whose late reply still waited for review, feedback or callback was supervised too.
    supervised_in = Counter(CaseEvent.objects.filter(action=Action.SUPERVISE).values_list("from_status", flat=True))
    assert supervised_in[Status.IN_PROGRESS] and set(supervised_in) - {Status.IN_PROGRESS}
    # The history leaves no open case the sweep would supervise now (as for 待签收 cases long past due).
    lately = timezone.now() - datetime.timedelta(minutes=10)
    waiting = Case.objects.exclude(status=Status.CLOSED).filter(supervised=False, handle_due__isnull=False)
    in_time = set(Dispatch.objects.filter(case__in=waiting, handle_due=F("case__handle_due"),
                                          replied_at__lte=F("handle_due")).values_list("case_id", flat=True))  # fmt: skip
    late = [c.pk for c in waiting if c.pk not in in_time
            and workdays.add_working_days(c.handle_due, SUPERVISE_AFTER_WORKING_DAYS) <= lately]  # fmt: skip
    assert late == []


def test_ledgers_are_filled_and_the_visits_linked(seeded):
    from households.models import Household

    per_station = Counter(
        Household.objects.filter(kind="household", station__kind__in=["village", "community"]).values_list(
            "station_id", flat=True
        )
    )
    assert per_station and 200 <= min(per_station.values()) <= max(per_station.values()) <= 480
    assert Household.objects.filter(kind="enterprise", station__kind="enterprise").exists()
    active = Household.objects.filter(status="active", kind="household")
    share = active.filter(interval_days__isnull=False).count() / active.count()
    assert 0.10 <= share <= 0.20
    problems = {
        # A visit links a record of its own diary's station.
        "visit at another station": """SELECT COUNT(*) FROM diaries_visit v JOIN diaries_diaryentry e ON e.id = v.entry_id
            JOIN households_household h ON h.id = v.household_id WHERE h.station_id <> e.station_id""",
        "visit of a missing record": """SELECT COUNT(*) FROM diaries_visit v LEFT JOIN households_household h
            ON h.id = v.household_id WHERE v.household_id IS NOT NULL AND h.id IS NULL""",
        "household visit unlinked": "SELECT COUNT(*) FROM diaries_visit WHERE kind = 'household' AND household_id IS NULL",
        # The stored last visit is the last linked visit's day; the due date follows households.schedule.
        "last visit": """SELECT COUNT(*) FROM households_household h WHERE h.last_visit_on IS DISTINCT FROM (
            SELECT MAX(e.visit_date) FROM diaries_visit v JOIN diaries_diaryentry e ON e.id = v.entry_id
            WHERE v.household_id = h.id)""",
        "interval": """SELECT COUNT(*) FROM households_household h WHERE h.interval_days IS DISTINCT FROM (
            SELECT MIN(t.interval_days) FROM households_household_tags x JOIN households_householdtag t
            ON t.id = x.householdtag_id WHERE x.household_id = h.id)""",
        "next due": """SELECT COUNT(*) FROM households_household h WHERE h.next_visit_due IS DISTINCT FROM (
            CASE WHEN h.status <> 'active' OR h.interval_days IS NULL THEN NULL
                 WHEN h.last_visit_on IS NULL THEN (h.created_at AT TIME ZONE 'Asia/Shanghai')::date
                 ELSE h.last_visit_on + h.interval_days END)""",
        # A case raised in a diary carries the first record its diary met, at the case's station.
        "case record elsewhere": """SELECT COUNT(*) FROM cases_case c JOIN households_household h ON h.id = c.household_id
            WHERE h.station_id IS DISTINCT FROM c.station_id""",
    }
    assert {name: _scalar(sql) for name, sql in problems.items()} == dict.fromkeys(problems, 0)
    assert Case.objects.filter(household__isnull=False).exists()
    visited = active.filter(last_visit_on__isnull=False).count() / active.count()
    assert visited > 0.05  # a tiny year of diaries: the coverage of a real year is checked at county scale
    # New records get ids after the loaded ones.
    assert Household.objects.order_by("-id").values_list("id", flat=True)[0] < _scalar(
        "SELECT last_value + 1 FROM households_household_id_seq"
    )
