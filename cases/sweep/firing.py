"""The machinery every case rule shares: claim, apply the effect, notify, write the outbox rows."""

import datetime
import uuid
from dataclasses import dataclass, field

from cases.choices import Status
from cases.notices import Audience, audience_sql, case_url_sql
from cases.sweep.sql import clock_label_sql, dt, execute, iso_time_sql, local_time_sql
from core.jsonsql import json_object_sql
from notifications import outbox, texts
from notifications.texts import Text


@dataclass
class Sweep:
    now: datetime.datetime
    run: str = field(default_factory=lambda: uuid.uuid4().hex)
    counts: dict = field(default_factory=dict)

    def params(self, **extra) -> dict:
        return {"now": dt(self.now), "run": self.run, **extra}


def fire(
    state: Sweep,
    rule: str,
    condition: str,
    params: dict,
    *,
    audience: Audience,
    text: Text,
    kind: str,
    every_time=None,
    on_claims=None,
    subject: tuple[str, str] = ("c.clock", "c.due_at"),
) -> int:
    """Claim every open case matching ``condition`` for ``rule``, apply the effects, notify ``audience``.

    ``subject`` is the (clock, deadline) pair, as SQL over the case ``c``, that
    the rule fires once for: by default the running one; a rule about one
    particular deadline (the handle deadline, whatever clock runs now) names it.

    ``every_time`` runs whether or not anything new was claimed: it sets
    state, like the overdue flag, that must hold even for a case claimed
    before. A case on hold (挂账) is never claimed: no reminder, 催办 or 督办 while its clocks
    stop. ``on_claims`` acts on this run's new claims (timeline events);
    it may drop some and answer how many it kept.
    """
    params = state.params(rule=rule, **params)
    clock, due = subject
    # ORDER BY: concurrent sweeps take the unique-index locks in the same
    # order, so they queue behind each other instead of deadlocking.
    claimed = execute(
        f"""
        INSERT INTO notifications_sweepclaim (rule, case_id, clock, due_at, officer_id, since, run, claimed_at)
        SELECT %(rule)s, c.id, {clock}, {due}, NULL, NULL, %(run)s, %(now)s
        FROM cases_case c
        WHERE c.status <> '{Status.CLOSED}' AND c.held_since IS NULL AND {due} IS NOT NULL AND ({condition})
        ORDER BY c.id
        ON CONFLICT DO NOTHING
        """,  # noqa: S608
        params,
    )
    if every_time:
        every_time()
    if claimed and on_claims:
        kept = on_claims()
        claimed = claimed if kept is None else kept
    if not claimed:
        return 0
    fields = {
        "code": "COALESCE(w.code, CAST(w.id AS TEXT))",
        "title": "w.title",
        "clock": clock_label_sql(params),
        "due": local_time_sql("w.due_at", params),
    }
    title = texts.sql_concat(text.title, fields, params, "t")
    body = texts.sql_concat(text.body, fields, params, "b")
    # What each reader's language words again: the clock as its code, the deadline as an instant.
    said = json_object_sql({**fields, "clock": "w.clock", "due": iso_time_sql("w.due_at")})
    url = case_url_sql("w.id")[0]
    execute(
        f"""
        WITH w AS (
            SELECT k.id AS claim_id, c.id, c.code, c.title, k.clock, k.due_at, c.level,
                   c.township_id, c.city_id, c.unit_id, c.officer_id
            FROM notifications_sweepclaim k JOIN cases_case c ON c.id = k.case_id
            WHERE k.run = %(run)s AND k.rule = %(rule)s
        ), a AS ({audience_sql(audience)})
        INSERT INTO notifications_notification
            (recipient_id, kind, text_key, params, title, body, url, case_id, claim_id, dedupe_key, created_at,
             read_at)
        SELECT a.user_id, %(kind)s, %(text_key)s, {said}, SUBSTR({title}, 1, 200), {body}, {url}, w.id, w.claim_id,
               NULL, %(now)s, NULL
        FROM w JOIN a ON a.case_id = w.id ORDER BY w.id, a.user_id
        """,  # noqa: S608
        {**params, "kind": kind, "text_key": text.key},
    )
    deliveries(state, rule)
    return claimed


def deliveries(state: Sweep, rule: str) -> None:
    outbox.create_deliveries(
        where="n.claim_id IN (SELECT k.id FROM notifications_sweepclaim k WHERE k.run = %(run)s AND k.rule = %(rule)s)",
        params={"run": state.run, "rule": rule},
        now=state.now,
    )
