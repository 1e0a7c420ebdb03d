"""The deadline sweep (LIFECYCLE.md, "What the periodic sweep enforces").

Deadlines live in the database (``Case.clock`` / ``Case.due_at``); beat runs
this every few minutes and nothing depends on a countdown task. Each rule
is a handful of set-based statements over the whole table in its own
transaction: claim what is due (INSERT … SELECT … ON CONFLICT DO NOTHING
into notifications.SweepClaim), apply its effect, write the notices and
their outbox rows. The claim and the notices commit together, so a rule
fires once per (case, clock, deadline) — or (officer, silent since) —
however often the sweep runs, on however many workers, and whether or not
a worker died half-way: a rule that did not commit is simply done again.
The number of queries does not depend on the number of cases. (The SQL is
assembled from constants and choice values only; every value travels as a
parameter, hence the S608 waivers.)

Reminders ("24 h and 2 h before, scaled down for urgent") count working
time on the official calendar (core.workdays), so a deadline after a
holiday is announced before the holiday, not during it:

    urgency     first reminder                       last reminder
    normal      1 working day (7.5 working hours)    2 working hours
    urgent      2 working hours                      30 working minutes
    emergency   1 hour                               15 minutes   (clock time: emergencies run round the clock)

A reminder fires when the working time left is at most its lead. A lead
that is not shorter than the clock itself (e.g. "one working day before"
a one-day clock) is skipped: it would arrive together with the case. When
the sweep first sees a case already inside the last reminder's window,
only the last reminder is sent.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cases import deadlines
from cases.choices import Clock, Level, Status, Urgency
from cases.models import Case, DeadlinePolicy
from cases.notices import (
    CITY_OFFICE,
    DESK,
    HOLDER,
    OFFICER,
    TOWNSHIP_STAFF,
    UNIT,
    Audience,
    audience_sql,
    case_url_sql,
    either,
)
from core import workdays
from notifications import outbox, texts
from notifications.texts import Text


@dataclass(frozen=True)
class Lead:
    hours: float
    working: bool  # working time (core.workdays) or clock time

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        """The latest deadline that is at most this lead away from ``now``."""
        if self.working:
            return workdays.add_working_hours(now, self.hours)
        return now + datetime.timedelta(hours=self.hours)


# (first reminder, last reminder) by urgency; see the module docstring.
LEADS = {
    Urgency.NORMAL: (Lead(workdays.HOURS_PER_DAY, True), Lead(2, True)),
    Urgency.URGENT: (Lead(2, True), Lead(0.5, True)),
    Urgency.EMERGENCY: (Lead(1, False), Lead(0.25, False)),
}
SUPERVISE_AFTER_WORKING_DAYS = 5
SILENT_DAYS = 14


@dataclass
class Sweep:
    now: datetime.datetime
    run: str = field(default_factory=lambda: uuid.uuid4().hex)
    counts: dict = field(default_factory=dict)

    def params(self, **extra) -> dict:
        return {"now": _dt(self.now), "run": self.run, **extra}


def sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every rule once as if the clock read ``now``; answer how many subjects each rule claimed."""
    state = Sweep(now=now or timezone.now())
    late, early = _reminder_windows(state.now)
    for name, rule in (
        ("remind_last", lambda: _remind(state, "remind_last", late)),
        ("remind_first", lambda: _remind(state, "remind_first", early)),
        ("overdue", lambda: _overdue(state)),
        ("feedback_overdue", lambda: _feedback_overdue(state)),
        ("supervise", lambda: _supervise(state)),
        ("silent_officer", lambda: _silent_officers(state)),
    ):
        with transaction.atomic():
            state.counts[name] = rule()
    state.counts["unflagged"] = _unflag_moved_deadlines(state)
    if any(state.counts[name] for name in state.counts if name != "unflagged"):
        from notifications.tasks import deliver_pending

        outbox.publish(deliver_pending)
    return state.counts


# --- the rules ------------------------------------------------------------------------------------------


def _remind(state: Sweep, rule: str, window: tuple[str, dict]) -> int:
    condition, params = window
    if not condition:
        return 0
    return _fire(
        state, rule, condition, params, audience=HOLDER, text=texts.SWEEP["reminder"], kind="deadline.reminder"
    )


def _overdue(state: Sweep) -> int:
    """The running deadline passed: flag the case, and 催办 to whoever holds the clock and their desk."""
    clocks = [c for c in Clock.values if c != Clock.FEEDBACK]
    return _fire(
        state,
        "overdue",
        f"c.clock IN ({_quoted(clocks)}) AND c.due_at <= %(now)s",
        {},
        audience=either(HOLDER, DESK),
        text=texts.SWEEP["overdue"],
        kind="deadline.overdue",
        effect=lambda: _flag_overdue(state, clocks),
    )


def _feedback_overdue(state: Sweep) -> int:
    """反映必反馈 is being broken: the officer and the township staff are told."""
    return _fire(
        state,
        "feedback_overdue",
        f"c.clock = '{Clock.FEEDBACK}' AND c.due_at <= %(now)s",
        {},
        audience=either(OFFICER, TOWNSHIP_STAFF, DESK),
        text=texts.SWEEP["feedback_overdue"],
        kind="deadline.feedback_overdue",
        effect=lambda: _flag_overdue(state, [Clock.FEEDBACK]),
    )


def _supervise(state: Sweep) -> int:
    """Five working days past the handling deadline: supervised (督办) automatically."""
    cutoff = latest_start(
        state.now, lambda due: workdays.add_working_days(due, SUPERVISE_AFTER_WORKING_DAYS) <= state.now
    )
    return _fire(
        state,
        "supervise",
        f"c.clock = '{Clock.HANDLE}' AND NOT c.supervised AND c.due_at <= %(cutoff)s",
        {"cutoff": _dt(cutoff)},
        audience=either(CITY_OFFICE, UNIT),
        text=texts.SWEEP["supervised"],
        kind="deadline.supervised",
        effect=lambda: _mark_supervised(state),
        claims_only=True,
    )


def _silent_officers(state: Sweep) -> int:
    """Officers on an active station who have written no diary for 14 days; once per silence."""
    today = timezone.localdate(state.now)
    params = state.params(rule="silent_officer", today=today, silent_since=today - datetime.timedelta(days=SILENT_DAYS))
    active = 'sa.start <= %(today)s AND (sa."end" IS NULL OR sa."end" >= %(today)s)'
    claimed = _execute(
        f"""
        INSERT INTO notifications_sweepclaim (rule, case_id, clock, due_at, officer_id, since, run, claimed_at)
        SELECT %(rule)s, NULL, '', NULL, s.officer_id, s.since, %(run)s, %(now)s FROM (
            SELECT t.officer_id,
                   CASE WHEN t.last_diary > t.first_start THEN t.last_diary ELSE t.first_start END AS since
            FROM (
                SELECT sa.officer_id, MIN(sa.start) AS first_start,
                       (SELECT MAX(d.visit_date) FROM diaries_diaryentry d
                        WHERE d.officer_id = sa.officer_id) AS last_diary
                FROM accounts_stationassignment sa JOIN accounts_user u ON u.id = sa.officer_id
                WHERE u.is_active AND {active} AND EXISTS (
                    SELECT 1 FROM accounts_userrole r WHERE r.user_id = sa.officer_id AND r.role = 'officer')
                GROUP BY sa.officer_id
            ) t
        ) s
        WHERE s.since <= %(silent_since)s ORDER BY s.officer_id
        ON CONFLICT DO NOTHING
        """,  # noqa: S608
        params,
    )
    if not claimed:
        return 0
    text = texts.SWEEP["silent_officer"]
    fields = {"officer": "w.officer_name", "since": "CAST(w.since AS TEXT)"}
    title = texts.sql_concat(text.title, fields, params, "t")
    body = texts.sql_concat(text.body, fields, params, "b")
    _execute(
        f"""
        WITH w AS (
            SELECT k.id AS claim_id, k.officer_id, k.since, COALESCE(NULLIF(u.name, ''), u.username) AS officer_name
            FROM notifications_sweepclaim k JOIN accounts_user u ON u.id = k.officer_id
            WHERE k.run = %(run)s AND k.rule = %(rule)s
        ), a AS (
            SELECT w.claim_id, w.officer_id AS user_id FROM w
            UNION
            SELECT w.claim_id, u.id FROM w
            JOIN accounts_stationassignment sa ON sa.officer_id = w.officer_id AND {active}
            JOIN accounts_orgunit st ON st.id = sa.station_id
            JOIN accounts_orgunit o ON o.township_id = st.township_id
            JOIN accounts_user u ON u.org_unit_id = o.id
            JOIN accounts_userrole r ON r.user_id = u.id AND r.role = 'township_staff'
            WHERE u.is_active
        )
        INSERT INTO notifications_notification
            (recipient_id, kind, title, body, url, case_id, claim_id, dedupe_key, created_at, read_at)
        SELECT a.user_id, 'diary.silent', SUBSTR({title}, 1, 200), {body}, '/diaries/', NULL, w.claim_id, NULL,
               %(now)s, NULL
        FROM w JOIN a ON a.claim_id = w.claim_id ORDER BY w.claim_id, a.user_id
        """,  # noqa: S608
        params,
    )
    _deliveries(state, "silent_officer")
    return claimed


# --- the machinery --------------------------------------------------------------------------------------


def _fire(
    state: Sweep,
    rule: str,
    condition: str,
    params: dict,
    *,
    audience: Audience,
    text: Text,
    kind: str,
    effect=None,
    claims_only: bool = False,
) -> int:
    """Claim every open case matching ``condition`` for ``rule``, apply ``effect``, notify ``audience``.

    ``effect`` runs whether or not anything new was claimed (it sets state,
    like the overdue flag, that must hold even for a case claimed before),
    unless ``claims_only`` says it acts on this run's claims only (and
    then answers how many of them it kept).
    """
    params = state.params(rule=rule, **params)
    # ORDER BY: concurrent sweeps take the unique-index locks in the same
    # order, so they queue behind each other instead of deadlocking.
    claimed = _execute(
        f"""
        INSERT INTO notifications_sweepclaim (rule, case_id, clock, due_at, officer_id, since, run, claimed_at)
        SELECT %(rule)s, c.id, c.clock, c.due_at, NULL, NULL, %(run)s, %(now)s
        FROM cases_case c
        WHERE c.status <> '{Status.CLOSED}' AND c.due_at IS NOT NULL AND ({condition})
        ORDER BY c.id
        ON CONFLICT DO NOTHING
        """,  # noqa: S608
        params,
    )
    if effect and (claimed or not claims_only):
        kept = effect()
        claimed = kept if claims_only else claimed
    if not claimed:
        return 0
    fields = {
        "code": "COALESCE(w.code, CAST(w.id AS TEXT))",
        "title": "w.title",
        "clock": _clock_label_sql(params),
        "due": _local_time_sql("w.due_at", params),
    }
    title = texts.sql_concat(text.title, fields, params, "t")
    body = texts.sql_concat(text.body, fields, params, "b")
    url = case_url_sql("w.id")[0]
    _execute(
        f"""
        WITH w AS (
            SELECT k.id AS claim_id, c.id, c.code, c.title, k.clock, k.due_at, c.level,
                   c.township_id, c.city_id, c.unit_id, c.officer_id
            FROM notifications_sweepclaim k JOIN cases_case c ON c.id = k.case_id
            WHERE k.run = %(run)s AND k.rule = %(rule)s
        ), a AS ({audience_sql(audience)})
        INSERT INTO notifications_notification
            (recipient_id, kind, title, body, url, case_id, claim_id, dedupe_key, created_at, read_at)
        SELECT a.user_id, %(kind)s, SUBSTR({title}, 1, 200), {body}, {url}, w.id, w.claim_id, NULL, %(now)s, NULL
        FROM w JOIN a ON a.case_id = w.id ORDER BY w.id, a.user_id
        """,  # noqa: S608
        {**params, "kind": kind},
    )
    _deliveries(state, rule)
    return claimed


def _deliveries(state: Sweep, rule: str) -> None:
    outbox.create_deliveries(
        where="n.claim_id IN (SELECT k.id FROM notifications_sweepclaim k WHERE k.run = %(run)s AND k.rule = %(rule)s)",
        params={"run": state.run, "rule": rule},
        now=state.now,
    )


def _flag_overdue(state: Sweep, clocks: list[str]) -> None:
    Case.objects.exclude(status=Status.CLOSED).filter(clock__in=clocks, due_at__lte=state.now, overdue=False).update(
        overdue=True
    )


def _unflag_moved_deadlines(state: Sweep) -> int:
    """A deadline moved into the future (an approved extension): the case is no longer overdue."""
    return Case.objects.exclude(status=Status.CLOSED).filter(overdue=True, due_at__gt=state.now).update(overdue=False)


def _mark_supervised(state: Sweep) -> int:
    """Flag the claimed cases supervised with a timeline event by no one (the sweep).

    The rows are locked first: a city office supervising one of them by hand
    at this moment either finishes before (and its claim is dropped here, so
    the case gets one 督办, theirs) or waits for this transaction.
    """
    params = state.params(rule="supervise")
    mine = "SELECT k.case_id FROM notifications_sweepclaim k WHERE k.run = %(run)s AND k.rule = %(rule)s"
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    _execute(f"SELECT c.id FROM cases_case c WHERE c.id IN ({mine}) ORDER BY c.id{lock}", params, fetch=True)  # noqa: S608
    _execute(
        """DELETE FROM notifications_sweepclaim WHERE run = %(run)s AND rule = %(rule)s
        AND case_id IN (SELECT c.id FROM cases_case c WHERE c.supervised)""",
        params,
    )
    params.update(note=texts.render(texts.SUPERVISE_EVENT_NOTE), data='{"automatic": true}')
    _execute(
        f"""
        INSERT INTO cases_caseevent
            (case_id, action, actor_id, from_status, to_status, level, unit_id, note, data, created_at)
        SELECT c.id, 'supervise', NULL, c.status, c.status, c.level, c.unit_id, %(note)s, %(data)s, %(now)s
        FROM cases_case c WHERE c.id IN ({mine}) ORDER BY c.id
        """,  # noqa: S608
        params,
    )
    return Case.objects.filter(pk__in=_claimed_cases(state, "supervise")).update(supervised=True)


def _claimed_cases(state: Sweep, rule: str):
    from notifications.models import SweepClaim

    return SweepClaim.objects.filter(run=state.run, rule=rule).values("case_id")


def _reminder_windows(now: datetime.datetime) -> tuple[tuple[str, dict], tuple[str, dict]]:
    """SQL conditions (with params) for the last and the first reminder, across urgencies.

    The last reminder: the deadline is ahead and within its lead. The first:
    within the first lead but not yet within the last one.
    """
    lengths = _clock_lengths()
    last_terms, first_terms, params = [], [], {}
    for urgency, (first, last) in LEADS.items():
        params[f"last_{urgency}"], params[f"first_{urgency}"] = _dt(last.cutoff(now)), _dt(first.cutoff(now))
        windows = (
            (last, last_terms, "%(now)s", f"%(last_{urgency})s"),
            (first, first_terms, f"%(last_{urgency})s", f"%(first_{urgency})s"),
        )
        for lead, terms, after, until in windows:
            combos = [key for key, length in lengths[urgency].items() if lead.hours < length(lead.working)]
            if combos:
                terms.append(
                    f"(c.urgency = '{urgency}' AND c.due_at > {after} AND c.due_at <= {until}"
                    f" AND (c.level || ':' || c.clock) IN ({_quoted(combos)}))"
                )
    return (" OR ".join(last_terms), params), (" OR ".join(first_terms), params)


def _clock_lengths() -> dict:
    """urgency → "level:clock" → how long the clock runs, in hours of working or of clock time.

    From the admin's DeadlinePolicy rows (one query) or LIFECYCLE.md's defaults.
    """
    overrides = {
        (level, urgency, clock): (amount, unit)
        for level, urgency, clock, amount, unit in DeadlinePolicy.objects.values_list(
            "level", "urgency", "clock", "amount", "unit"
        )
    }
    per_hour = {deadlines.WH: 1, deadlines.H: 1, deadlines.MIN: 1 / 60}
    lengths: dict = {}
    for urgency in Urgency.values:
        for level in Level.values:
            for clock in Clock.values:
                if (level, urgency, clock) in overrides:
                    amount, unit = overrides[level, urgency, clock]
                elif clock == Clock.HANDLE:
                    amount, unit = deadlines.HANDLE_DEFAULTS.get(level, deadlines.HANDLE_DEFAULTS[Level.TOWNSHIP])[
                        urgency
                    ]
                else:
                    amount, unit = deadlines.DEFAULTS[clock][urgency]

                def length(working: bool, amount=amount, unit=unit) -> float:
                    if unit == deadlines.WD:
                        return amount * (workdays.HOURS_PER_DAY if working else 24)
                    return amount * per_hour[unit]

                lengths.setdefault(urgency, {})[f"{level}:{clock}"] = length
    return lengths


def latest_start(now: datetime.datetime, done_by_now) -> datetime.datetime:
    """The latest moment ``t`` with ``done_by_now(t)``, for a test that holds up to some moment and not after.

    Used to turn "five working days past the deadline" into one indexed
    bound on the deadline column: working-day arithmetic is monotonic, so a
    binary search to the microsecond finds the exact bound.
    """
    low, high = now - datetime.timedelta(days=120), now
    if done_by_now(high):
        return high
    while not done_by_now(low):
        low -= datetime.timedelta(days=120)
    while high - low > datetime.timedelta(microseconds=1):
        middle = low + (high - low) / 2
        if done_by_now(middle):
            low = middle
        else:
            high = middle
    return low


def _clock_label_sql(params: dict) -> str:
    whens = []
    for n, (value, label) in enumerate(Clock.choices):
        params[f"clock{n}"] = texts.render(label)
        whens.append(f"WHEN '{value}' THEN %(clock{n})s")
    return f"CASE w.clock {' '.join(whens)} ELSE w.clock END"


def _local_time_sql(column: str, params: dict) -> str:
    """``YYYY-MM-DD HH:MM`` in the site's time zone, in this database's dialect."""
    if connection.vendor == "postgresql":
        params["tz"] = settings.TIME_ZONE
        return f"to_char({column} AT TIME ZONE %(tz)s, 'YYYY-MM-DD HH24:MI')"
    offset = timezone.localtime(timezone.now()).utcoffset() or datetime.timedelta()
    params["tzshift"] = f"{int(offset.total_seconds() // 60):+d} minutes"
    return f"strftime('%%Y-%%m-%%d %%H:%%M', {column}, %(tzshift)s)"


def _quoted(values) -> str:
    # Only our own choice values reach here, never user input; check anyway.
    assert all(str(v).replace("_", "").replace(":", "").isalnum() for v in values)
    return ", ".join(f"'{v}'" for v in values)


def _dt(value: datetime.datetime):
    return connection.ops.adapt_datetimefield_value(value)


def _execute(sql: str, params: dict, *, fetch: bool = False):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if fetch else cursor.rowcount
