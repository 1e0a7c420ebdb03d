"""Who hears about a case: after each event, and from the deadline sweep.

The people are found in SQL from the case row, so the sweep can address a
thousand cases in one statement and an event its handful of people in one
query. An *audience* maps a group of people to an SQL condition over the
case row ``w`` saying when that group is included:

- ``township_staff``: township staff of the case's township
- ``city_office``: the city office of the case's city
- ``unit``: handlers of the responsible unit; ``assisting``: of the assisting units
- ``officer``: the officer who raised it
"""

import logging

from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse

from cases.choices import Action, Clock, Level, Status
from cases.models import Case, CaseEvent
from notifications import outbox, texts
from notifications.services import Notice, notify, notify_many

logger = logging.getLogger(__name__)

Audience = dict[str, str]

_TOWNSHIP_DESK = f"w.level IN ('{Level.ONSITE}', '{Level.TOWNSHIP}')"
_CITY_DESK = f"w.level = '{Level.CITY}'"
_DESK_CLOCKS = f"w.clock IN ('{Clock.DISPATCH}', '{Clock.REVIEW}', '{Clock.CALLBACK}', '{Clock.FEEDBACK}')"

DESK: Audience = {"township_staff": _TOWNSHIP_DESK, "city_office": _CITY_DESK}
UNIT: Audience = {"unit": "TRUE"}
ASSISTING: Audience = {"assisting": "TRUE"}
OFFICER: Audience = {"officer": "TRUE"}
TOWNSHIP_STAFF: Audience = {"township_staff": "TRUE"}
CITY_OFFICE: Audience = {"city_office": "TRUE"}
# Whoever the running clock waits for (LIFECYCLE.md, "Statuses"): the desk
# dispatches, reviews and calls back; the unit signs and handles; the
# officer (with the township staff, and the desk that may also do it) tells
# the resident.
HOLDER: Audience = {
    "township_staff": f"({_DESK_CLOCKS} AND {_TOWNSHIP_DESK}) OR w.clock = '{Clock.FEEDBACK}'",
    "city_office": f"{_DESK_CLOCKS} AND {_CITY_DESK}",
    "unit": f"w.clock IN ('{Clock.SIGN}', '{Clock.HANDLE}')",
    "officer": f"w.clock = '{Clock.FEEDBACK}'",
}
# When the case has no raising officer (other intake channels) the desk hears instead.
OFFICER_OR_DESK: Audience = {
    "officer": "TRUE",
    "township_staff": f"w.officer_id IS NULL AND {_TOWNSHIP_DESK}",
    "city_office": f"w.officer_id IS NULL AND {_CITY_DESK}",
}


def either(*audiences: Audience) -> Audience:
    merged: dict[str, list[str]] = {}
    for audience in audiences:
        for group, condition in audience.items():
            merged.setdefault(group, []).append(f"({condition})")
    return {group: " OR ".join(conditions) for group, conditions in merged.items()}


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

EVENT_AUDIENCE: dict[str, Audience] = {
    Action.RAISE: DESK,
    Action.DISPATCH: either(UNIT, ASSISTING),
    Action.ESCALATE: DESK,  # the case is at city level by now: the city office
    Action.RETURN: DESK,
    Action.EXTENSION_REQUEST: DESK,
    Action.EXTENSION_DECISION: UNIT,
    Action.REPLY: DESK,
    Action.REVIEW_APPROVE: OFFICER_OR_DESK,  # feedback is due
    Action.REVIEW_REJECT: UNIT,
    Action.FEEDBACK: DESK,  # callback is due
    Action.CALLBACK: OFFICER,
    Action.REDO: DESK,
    Action.SUPERVISE: either(UNIT, DESK),
}


def _audience_of(event: CaseEvent) -> Audience | None:
    if event.action == Action.RAISE and event.to_status == Status.CLOSED:
        return None  # solved on the spot with the resident's answer: nothing left to do
    if event.action == Action.CALLBACK and event.to_status != Status.CLOSED:
        return None
    return EVENT_AUDIENCE.get(event.action)


def event_committed(event_id: int) -> None:
    """Tell the people concerned about a case event; runs after the event's transaction commits.

    Idempotent (one notice per event and person), and it never raises: the
    case action has already succeeded and must not turn into an error page
    because of a notice.
    """
    try:
        notify_event(event_id)
    except Exception:
        logger.exception("notices for case event %s failed", event_id)


def notify_event(event_id: int) -> None:
    event = CaseEvent.objects.select_related("case").filter(pk=event_id).first()
    if event is None or (audience := _audience_of(event)) is None:
        return
    case: Case = event.case
    people_sql = audience_sql(audience)
    sql = f"WITH w AS (SELECT {CASE_COLUMNS} FROM cases_case c WHERE c.id = %(case)s) {people_sql}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, {"case": case.pk})
        people = {row[1] for row in cursor.fetchall()} - {event.actor_id}
    on_site = event.action == Action.RAISE and event.to_status == Status.PENDING_CALLBACK
    text = texts.EVENT["raise_on_site" if on_site else event.action]
    values = {"code": case.code or case.pk, "title": case.title, "note": event.note}
    with transaction.atomic():
        notify(
            recipients=people,
            kind=f"case.{event.action}",
            title=texts.render(text.title, **values),
            body=texts.render(text.body, **values),
            url=case_url(case.pk),
            case=case,
            dedupe_key=f"event:{event.pk}",
            now=event.created_at,
        )


def notify_new_events(events: list[CaseEvent]) -> None:
    """``notify_event`` for events just written in this transaction, with their ``case`` attached:
    one people query per kind of audience and two statements for all the notices."""
    by_audience: dict[tuple, list[CaseEvent]] = {}
    for event in events:
        if (audience := _audience_of(event)) is not None:
            by_audience.setdefault(tuple(sorted(audience.items())), []).append(event)
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
    for group in by_audience.values():
        for event in group:
            case = event.case
            on_site = event.action == Action.RAISE and event.to_status == Status.PENDING_CALLBACK
            text = texts.EVENT["raise_on_site" if on_site else event.action]
            values = {"code": case.code or case.pk, "title": case.title, "note": event.note}
            notices.append(Notice(
                recipients=people.get(case.pk, set()) - {event.actor_id}, kind=f"case.{event.action}",
                title=texts.render(text.title, **values), body=texts.render(text.body, **values),
                url=case_url(case.pk), case=case, dedupe_key=f"event:{event.pk}", now=event.created_at,
            ))  # fmt: skip
    notify_many(notices)
