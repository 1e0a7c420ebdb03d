"""The rules of LIFECYCLE.md's sweep table, one function each; every one runs in its own transaction."""

from django.db import connection
from django.utils import timezone

from accounts.models import SILENCE_REMINDER_DAYS
from cases.choices import Clock, Status
from cases.models import Case, CaseEvent
from cases.notices import CITY_OFFICE, DESK, HOLDER, OFFICER, TOWNSHIP_STAFF, UNIT, either
from cases.services.core import push_written
from cases.sweep.firing import Sweep, deliveries, fire
from cases.sweep.sql import clock_label_sql, days_before_sql, dt, execute, local_time_sql, quoted
from cases.sweep.timing import SUPERVISE_AFTER_WORKING_DAYS, latest_start
from core import workdays
from core.jsonsql import json_object_sql
from notifications import texts


def remind(state: Sweep, rule: str, window: tuple[str, dict]) -> int:
    condition, params = window
    if not condition:
        return 0
    return fire(state, rule, condition, params, audience=HOLDER, text=texts.SWEEP["reminder"], kind="deadline.reminder")


def overdue(state: Sweep) -> int:
    """The running deadline passed: flag the case, and 催办 to whoever holds the clock and their desk."""
    clocks = [c for c in Clock.values if c != Clock.FEEDBACK]
    return fire(
        state,
        "overdue",
        f"c.clock IN ({quoted(clocks)}) AND c.due_at <= %(now)s",
        {},
        audience=either(HOLDER, DESK),
        text=texts.SWEEP["overdue"],
        kind="deadline.overdue",
        every_time=lambda: _flag_overdue(state, clocks),
        on_claims=lambda: _timeline(state, "overdue", "overdue", texts.OVERDUE_EVENT_NOTE, _json_clock()),
    )


def feedback_overdue(state: Sweep) -> int:
    """反映必反馈 is being broken: the officer and the township staff are told."""
    return fire(
        state,
        "feedback_overdue",
        f"c.clock = '{Clock.FEEDBACK}' AND c.due_at <= %(now)s",
        {},
        audience=either(OFFICER, TOWNSHIP_STAFF, DESK),
        text=texts.SWEEP["feedback_overdue"],
        kind="deadline.feedback_overdue",
        every_time=lambda: _flag_overdue(state, [Clock.FEEDBACK]),
        on_claims=lambda: _timeline(state, "feedback_overdue", "overdue", texts.OVERDUE_EVENT_NOTE, _json_clock()),
    )


def supervise(state: Sweep) -> int:
    """Five working days past the handling deadline: supervised (督办) automatically.

    Whatever open status the case waits in (LIFECYCLE.md): a case still not
    signed for, or replied late and waiting for review, is as late as one in
    progress, so the rule reads the handle deadline set at dispatch (and
    moved by extensions), not the clock running now. A unit that replied in
    time has met that deadline, whatever the desk does next. The claim's
    subject is that deadline, so each case is supervised once for it.
    """
    cutoff = latest_start(
        state.now, lambda due: workdays.add_working_days(due, SUPERVISE_AFTER_WORKING_DAYS) <= state.now
    )
    return fire(
        state,
        "supervise",
        # Not a case whose unit replied in time (the reply stands until the desk rejects it, which
        # clears replied_at): it waits on the desk or the resident now, not on a late unit.
        "NOT c.supervised AND c.handle_due <= %(cutoff)s AND NOT EXISTS (SELECT 1 FROM cases_dispatch d "
        "WHERE d.case_id = c.id AND d.handle_due = c.handle_due AND d.replied_at <= d.handle_due)",
        {"cutoff": dt(cutoff)},
        audience=either(CITY_OFFICE, UNIT),
        text=texts.SWEEP["supervised"],
        kind="deadline.supervised",
        on_claims=lambda: _supervise_with_orders(state),
        subject=(f"'{Clock.HANDLE}'", "c.handle_due"),
    )


_ACTIVE = 'sa.start <= %(today)s AND (sa."end" IS NULL OR sa."end" >= %(today)s)'


def _reminder_days_sql(officer: str) -> str:
    """The officer's silence reminder in days, as SQL: the shortest among the counties of their active
    stations that keep it on; NULL when every one switched it off. A county without settings has the
    default (accounts.selectors.silence_reminder_days reads the same setting for the officers page)."""
    active = _ACTIVE.replace("sa.", "sr.")
    return f"""(SELECT MIN(CASE WHEN cs.city_id IS NULL THEN %(default_days)s
                                ELSE NULLIF(cs.silence_reminder_days, 0) END)
        FROM accounts_stationassignment sr JOIN accounts_orgunit st ON st.id = sr.station_id
        LEFT JOIN accounts_citysettings cs ON cs.city_id = st.city_id
        WHERE sr.officer_id = {officer} AND {active})"""  # noqa: S608


def silent_officers(state: Sweep) -> int:
    """Officers on an active station who have written no diary for their county's number of days
    (CitySettings; not at all where the county switched the reminder off); once per silence."""
    today = timezone.localdate(state.now)
    params = state.params(rule="silent_officer", today=today, default_days=SILENCE_REMINDER_DAYS)
    claimed = execute(
        f"""
        INSERT INTO notifications_sweepclaim (rule, case_id, clock, due_at, officer_id, since, run, claimed_at)
        SELECT %(rule)s, NULL, '', NULL, s.officer_id, s.since, %(run)s, %(now)s FROM (
            SELECT t.officer_id, t.days,
                   CASE WHEN t.last_diary > t.first_start THEN t.last_diary ELSE t.first_start END AS since
            FROM (
                SELECT sa.officer_id, MIN(sa.start) AS first_start,
                       (SELECT MAX(d.visit_date) FROM diaries_diaryentry d
                        WHERE d.officer_id = sa.officer_id) AS last_diary,
                       {_reminder_days_sql("sa.officer_id")} AS days
                FROM accounts_stationassignment sa JOIN accounts_user u ON u.id = sa.officer_id
                WHERE u.is_active AND {_ACTIVE} AND EXISTS (
                    SELECT 1 FROM accounts_userrole r WHERE r.user_id = sa.officer_id AND r.role = 'officer')
                GROUP BY sa.officer_id
            ) t
        ) s
        WHERE s.days IS NOT NULL AND s.since <= {days_before_sql("%(today)s", "s.days")} ORDER BY s.officer_id
        ON CONFLICT DO NOTHING
        """,  # noqa: S608
        params,
    )
    if not claimed:
        return 0
    text = texts.SWEEP["silent_officer"]
    fields = {"officer": "w.officer_name", "since": "CAST(w.since AS TEXT)", "days": "CAST(w.days AS TEXT)"}
    title = texts.sql_concat(text.title, fields, params, "t")
    body = texts.sql_concat(text.body, fields, params, "b")
    params["text_key"] = text.key
    execute(
        f"""
        WITH w AS (
            SELECT k.id AS claim_id, k.officer_id, k.since, COALESCE(NULLIF(u.name, ''), u.username) AS officer_name,
                   {_reminder_days_sql("k.officer_id")} AS days
            FROM notifications_sweepclaim k JOIN accounts_user u ON u.id = k.officer_id
            WHERE k.run = %(run)s AND k.rule = %(rule)s
        ), a AS (
            SELECT w.claim_id, w.officer_id AS user_id FROM w
            UNION
            SELECT w.claim_id, u.id FROM w
            JOIN accounts_stationassignment sa ON sa.officer_id = w.officer_id AND {_ACTIVE}
            JOIN accounts_orgunit st ON st.id = sa.station_id
            JOIN accounts_orgunit o ON o.township_id = st.township_id
            JOIN accounts_user u ON u.org_unit_id = o.id
            JOIN accounts_userrole r ON r.user_id = u.id AND r.role = 'township_staff'
            WHERE u.is_active
        )
        INSERT INTO notifications_notification
            (recipient_id, kind, text_key, params, title, body, url, case_id, claim_id, dedupe_key, created_at,
             read_at)
        SELECT a.user_id, 'diary.silent', %(text_key)s, {json_object_sql(fields)}, SUBSTR({title}, 1, 200), {body},
               '/diaries/', NULL, w.claim_id, NULL, %(now)s, NULL
        FROM w JOIN a ON a.claim_id = w.claim_id ORDER BY w.claim_id, a.user_id
        """,  # noqa: S608
        params,
    )
    deliveries(state, "silent_officer")
    return claimed


def release_holds(state: Sweep) -> int:
    """挂账 whose review date has come are released and their clocks run again (cases.services.holds)."""
    from cases.services.holds import release_due_holds

    return release_due_holds(now=state.now)


def _flag_overdue(state: Sweep, clocks: list[str]) -> None:
    # Not a case on hold: its clocks stopped (the claims skip it too, cases.sweep.firing).
    condition = f"c.clock IN ({quoted(clocks)}) AND c.due_at <= %(now)s AND NOT c.overdue AND c.held_since IS NULL"
    _set_overdue(True, condition, state.params())


def unflag_moved_deadlines(state: Sweep) -> int:
    """A deadline moved into the future (an approved extension): the case is no longer overdue."""
    return _set_overdue(False, "c.overdue AND c.due_at > %(now)s", state.params())


def _set_overdue(value: bool, condition: str, params: dict) -> int:
    # Rows are locked in id order, so two sweeps updating the same cases
    # queue behind each other instead of deadlocking.
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return execute(
        f"""
        UPDATE cases_case SET overdue = %(value)s WHERE id IN (
            SELECT c.id FROM cases_case c WHERE c.status <> '{Status.CLOSED}' AND {condition} ORDER BY c.id{lock})
        """,  # noqa: S608
        {**params, "value": value},
    )


def _supervise_with_orders(state: Sweep) -> int:
    """Supervised automatically, with a 督办-level order (OVERSIGHT.md) on each case this run kept."""
    # The oversight app builds on cases; imported here so cases never needs it at import time.
    from oversight.sweep import issue_automatic_orders

    kept = _mark_supervised(state)
    issue_automatic_orders(state, _claimed_cases(state, "supervise"))
    return kept


def overdue_orders(state: Sweep) -> int:
    """督办单 not answered by their date: flagged overdue, and the leaders in charge told once."""
    from oversight.sweep import flag_overdue_orders

    return flag_overdue_orders(state)


def _mark_supervised(state: Sweep) -> int:
    """Flag the claimed cases supervised with a timeline event by no one (the sweep).

    The rows are locked first: a city office supervising one of them by hand
    at this moment either finishes before (and its claim is dropped here, so
    the case gets one 督办, theirs) or waits for this transaction.
    """
    params = state.params(rule="supervise")
    mine = "SELECT k.case_id FROM notifications_sweepclaim k WHERE k.run = %(run)s AND k.rule = %(rule)s"
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    execute(f"SELECT c.id FROM cases_case c WHERE c.id IN ({mine}) ORDER BY c.id{lock}", params, fetch=True)  # noqa: S608
    execute(
        """DELETE FROM notifications_sweepclaim WHERE run = %(run)s AND rule = %(rule)s
        AND case_id IN (SELECT c.id FROM cases_case c WHERE c.supervised)""",
        params,
    )
    _timeline(state, "supervise", "supervise", texts.SUPERVISE_EVENT_NOTE, "'{\"automatic\": true}'")
    return Case.objects.filter(pk__in=_claimed_cases(state, "supervise")).update(supervised=True)


def _timeline(state: Sweep, rule: str, action: str, note, data_sql: str) -> None:
    """A timeline event by no one (the sweep) on each case this run claimed for ``rule``."""
    params = state.params(rule=rule, action=action)
    fields = {"clock": clock_label_sql(params), "due": local_time_sql("w.due_at", params)}
    note_sql = texts.sql_concat(note, fields, params, "n")
    execute(
        f"""
        WITH w AS (
            SELECT c.id, c.status, c.level, c.unit_id, k.clock, k.due_at
            FROM notifications_sweepclaim k JOIN cases_case c ON c.id = k.case_id
            WHERE k.run = %(run)s AND k.rule = %(rule)s
        )
        INSERT INTO cases_caseevent
            (case_id, action, actor_id, from_status, to_status, level, unit_id, note, data, created_at)
        SELECT w.id, %(action)s, NULL, w.status, w.status, w.level, w.unit_id, {note_sql}, {data_sql}, %(now)s
        FROM w ORDER BY w.id
        """,  # noqa: S608
        params,
    )
    # Cases from another platform tell it too (integrations.pushes).
    push_written(CaseEvent.objects.filter(case_id__in=_claimed_cases(state, rule), action=action, created_at=state.now))


def _json_clock() -> str:
    """``{"clock": <the claimed clock>}`` in this database's dialect."""
    return json_object_sql({"clock": "w.clock"})


def _claimed_cases(state: Sweep, rule: str):
    from notifications.models import SweepClaim

    return SweepClaim.objects.filter(run=state.run, rule=rule).values("case_id")
