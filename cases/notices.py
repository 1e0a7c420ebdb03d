"""Who hears about a case: after each event, and from the deadline sweep.

The people are found in SQL from the case row (cases.audiences), so the sweep
can address a thousand cases in one statement and an event its handful of
people in one statement too.
"""

import json

from django.db import connection
from django.urls import NoReverseMatch, reverse

from cases.audiences import (  # noqa: F401  (the sweep names them from here)
    ASSISTING,
    CITY_OFFICE,
    DESK,
    HOLDER,
    INSTRUCTION_AUTHOR,
    OFFICER,
    OFFICER_OR_DESK,
    TOWNSHIP_STAFF,
    UNIT,
    Audience,
    either,
)
from cases.models import Case, CaseEvent
from core.jsonsql import json_param_sql
from notifications import outbox, texts
from notifications.services import Notice, notify_many

# The SQL here is assembled from constants and choice values only; every
# value travels as a parameter (hence the S608 waivers).
_ROLE_JOIN = (
    "JOIN accounts_user u ON u.org_unit_id = {unit} JOIN accounts_userrole r ON r.user_id = u.id AND r.role = '{role}'"
)
_BRANCHES = {
    "township_staff": "SELECT w.id AS case_id, u.id AS user_id FROM w "  # noqa: S608
    "JOIN accounts_orgunit o ON o.township_id = w.township_id " + _ROLE_JOIN.format(unit="o.id", role="township_staff"),
    "city_office": "SELECT w.id AS case_id, u.id AS user_id FROM w "  # noqa: S608
    "JOIN accounts_orgunit o ON o.city_id = w.city_id " + _ROLE_JOIN.format(unit="o.id", role="city_office"),
    "unit": "SELECT w.id AS case_id, u.id AS user_id FROM w "  # noqa: S608
    + _ROLE_JOIN.format(unit="w.unit_id", role="unit_handler"),
    "assisting": "SELECT w.id AS case_id, u.id AS user_id FROM w "  # noqa: S608
    "JOIN cases_case_assisting_units m ON m.case_id = w.id "
    + _ROLE_JOIN.format(unit="m.orgunit_id", role="unit_handler"),
    "officer": "SELECT w.id AS case_id, u.id AS user_id FROM w JOIN accounts_user u ON u.id = w.officer_id",
    # The report is written in the same transaction as its event, so the instruction reported last is its own.
    "instruction_author": "SELECT w.id AS case_id, u.id AS user_id FROM w JOIN accounts_user u ON u.id = ("
    "SELECT i.author_id FROM cases_instruction i WHERE i.case_id = w.id AND i.carried_out_at IS NOT NULL "
    "ORDER BY i.carried_out_at DESC, i.id DESC LIMIT 1)",
}


def audience_sql(audience: Audience) -> str:
    """SELECT case_id, user_id: the people of ``audience`` for each case row of the CTE ``w``.

    ``w`` needs the columns id, level, clock, township_id, city_id, unit_id
    and officer_id. Only active users; UNION makes each person appear once
    per case however many groups they are in.
    """
    return " UNION ".join(
        f"{_BRANCHES[group]} WHERE u.is_active AND ({condition})" for group, condition in sorted(audience.items())
    )


CASE_COLUMNS = "c.id, c.code, c.title, c.clock, c.level, c.township_id, c.city_id, c.unit_id, c.officer_id"


def case_url_sql(column: str = "w.id") -> tuple[str, str]:
    """The case page's address as (SQL prefix, SQL suffix) around the id, whatever the cases URLconf says."""
    marker = 987654321
    try:
        url = reverse("cases:detail", args=[marker])
    except NoReverseMatch:
        url = f"/cases/{marker}/"
    prefix, suffix = url.split(str(marker), 1)
    return f"'{prefix}' || CAST({column} AS TEXT) || '{suffix}'", url.replace(str(marker), "{id}")


def case_url(case_id: int) -> str:
    return case_url_sql()[1].format(id=case_id)


# --- events ---------------------------------------------------------------------------------------------
# Who hears of each event kind and what they read are part of the action's definition (cases.actions).


def _notice(event: CaseEvent, case: Case) -> tuple[Audience, texts.Text, dict] | None:
    from cases.actions import EVENTS

    spec = EVENTS.get(event.action)
    text = spec.notice_for(event) if spec else None
    if text is None:
        return None
    # What happened, not prose: each reader's language words it (notifications.texts reads ``due``).
    params = {
        "code": case.code or str(case.pk),
        "title": case.title,
        "note": event.note,
        "days": event.data.get("days", ""),
        "due": event.data.get("handle_due") or "",
    }
    if event.data.get("review_on"):
        params["date"] = event.data["review_on"]  # a hold's review date
    return spec.audience, text, params


def notify_event(event: CaseEvent, case: Case) -> None:
    """Tell the people concerned about an event just written in this transaction: the notices chosen in SQL
    from the case row and the deliveries queued for them, in one statement on PostgreSQL (two elsewhere).

    Idempotent: one notice per event and person (``dedupe_key``), whoever writes it again.
    """
    found = _notice(event, case)
    if found is None:
        return
    audience, text, values = found
    url_sql = case_url_sql("w.id")[0]
    stored = texts.in_site_language(text, values)
    params = {
        "case": case.pk, "actor": event.actor_id or 0, "kind": f"case.{event.action}",
        "now": connection.ops.adapt_datetimefield_value(event.created_at),
        "title": stored.title[:200], "body": stored.body, "text_key": text.key, "params": json.dumps(values),
        "key": f"event:{event.pk}:",
    }  # fmt: skip
    insert = f"""
        INSERT INTO notifications_notification
            (recipient_id, kind, text_key, params, title, body, url, case_id, claim_id, dedupe_key, created_at,
             read_at)
        SELECT a.user_id, %(kind)s, %(text_key)s, {json_param_sql("%(params)s")}, %(title)s, %(body)s, {url_sql}, w.id,
               NULL, %(key)s || CAST(a.user_id AS TEXT), %(now)s, NULL
        FROM w JOIN a ON a.case_id = w.id WHERE a.user_id <> %(actor)s ORDER BY a.user_id
        ON CONFLICT DO NOTHING
    """  # noqa: S608
    chosen = (
        f"WITH w AS (SELECT {CASE_COLUMNS} FROM cases_case c WHERE c.id = %(case)s), a AS ({audience_sql(audience)})"  # noqa: S608
    )
    deliveries = outbox.deliveries_sql(notices="ins", returning=True)
    if connection.vendor == "postgresql" and deliveries is not None:
        # One statement: the notices in a data-modifying CTE, their deliveries queued from what it returns
        # (only the notices written now: one that existed already had its deliveries queued with it).
        with connection.cursor() as cursor:
            cursor.execute(
                f"{chosen}, ins AS ({insert} RETURNING id, recipient_id) {deliveries}",
                {**params, "_now": params["now"]},
            )
            outbox.send_after_commit([row[0] for row in cursor.fetchall()])
        return
    with connection.cursor() as cursor:
        cursor.execute(f"{chosen} {insert}", params)
    # The event's own notices, found by their case and moment (the case_id index); older ones are left alone.
    where = "n.case_id = %(case)s AND n.kind = %(kind)s AND n.created_at = %(now)s"
    outbox.send_after_commit(outbox.create_deliveries(where=where, params=params, now=event.created_at, returning=True))


def notify_new_events(events: list[CaseEvent]) -> None:
    """``notify_event`` for many events just written in this transaction, with their ``case`` attached:
    one people query per kind of audience and two statements for all the notices."""
    found = {e.pk: f for e in events if (f := _notice(e, e.case)) is not None}
    by_audience: dict[tuple, list[CaseEvent]] = {}
    for event in events:
        if event.pk in found:
            by_audience.setdefault(tuple(sorted(found[event.pk][0].items())), []).append(event)
    people: dict[int, set[int]] = {}
    for audience, group in by_audience.items():
        params: dict = {}
        ids = outbox.in_list("c", [e.case_id for e in group], params)
        sql = (
            f"WITH w AS (SELECT {CASE_COLUMNS} FROM cases_case c WHERE c.id IN ({ids})) {audience_sql(dict(audience))}"  # noqa: S608
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for case_id, user_id in cursor.fetchall():
                people.setdefault(case_id, set()).add(user_id)
    notices = []
    for event in events:
        if event.pk not in found:
            continue
        _audience, text, values = found[event.pk]
        notices.append(Notice(
            recipients=people.get(event.case_id, set()) - {event.actor_id}, kind=f"case.{event.action}",
            text=text, params=values,
            url=case_url(event.case_id), case=event.case, dedupe_key=f"event:{event.pk}", now=event.created_at,
        ))  # fmt: skip
    notify_many(notices)
