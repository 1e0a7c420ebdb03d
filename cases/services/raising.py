"""Raising a case: on site, needing help, or from another intake channel."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import STATION_KINDS, OrgUnit
from accounts.roles import Role
from cases import deadlines
from cases.choices import Action, FeedbackChannel, Level, Satisfaction, Source, Status
from cases.models import Callback, Case, CaseEvent, Category, Feedback
from cases.routing import auto_dispatch_categories, rules_for
from cases.selectors import dispatchable_units
from cases.services.core import after, code_for, notify_events, now_or, require, start_clock
from cases.services.dispatching import dispatch_to
from core.validators import field_errors, text_errors


@transaction.atomic
def case_raise(*, by, now: datetime.datetime | None = None, **fields) -> Case:
    """Create a case and its first event (the fields are those of ``_prepare``).

    An officer's case solved on the spot starts at level ``onsite`` with its
    feedback already given (and closes at once when the resident's verdict
    was taken then); otherwise an officer's case waits for the township desk.
    Desk staff raising from another channel (市长直通车, 信访 …) raise at their
    own level.
    """
    return cases_raise(by=by, items=[fields], now=now)[0]


@transaction.atomic
def cases_raise(*, by, items: Sequence[dict], now: datetime.datetime | None = None) -> list[Case]:
    """``case_raise`` for several cases by one person at once (a diary entry's issues), in a
    number of queries that does not grow with the cases: all are checked before any is written.

    A ValidationError names the item it concerns in ``exc.index``.
    """
    return cases_raise_in_transaction(by=by, items=items, now=now)


def cases_raise_in_transaction(*, by, items: Sequence[dict], now: datetime.datetime | None = None) -> list[Case]:
    """``cases_raise`` for a caller that holds its own ``transaction.atomic`` (a diary entry's write) and
    lets every error roll that back: the same writes without a savepoint of their own, two statements less."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("cases_raise_in_transaction needs the caller's transaction.atomic")
    now = now_or(now)
    table = deadlines.overrides_cached()
    cases = []
    for index, fields in enumerate(items):
        try:
            cases.append(_prepare(by=by, now=now, deadline_table=table, **fields))
        except ValidationError as exc:
            exc.index = index
            raise
    Case.objects.bulk_create(cases)
    for case in cases:
        case.code = code_for(case)
    Case.objects.bulk_update(cases, ["code"])
    on_site = [c for c in cases if c.level == Level.ONSITE]
    Feedback.objects.bulk_create(
        Feedback(case=c, channel=FeedbackChannel.VISIT, content=c.raised.feedback.strip(),
                 resident_response=c.raised.resident_response.strip(), given_by=by, given_at=now)
        for c in on_site
    )  # fmt: skip
    # The resident answered on the spot: that answer is the callback.
    Callback.objects.bulk_create(
        Callback(case=c, reached=True, solved=True, satisfaction=c.raised.satisfaction, note=_("Answered on the spot."),
                 closes=True, by=by, at=now)
        for c in on_site if c.raised.satisfaction
    )  # fmt: skip
    events = CaseEvent.objects.bulk_create(
        # A resident's request was raised by the resident, not the officer (who is told of it).
        CaseEvent(case=c, action=Action.RAISE, actor=None if c.source == Source.RESIDENT else by, from_status="", to_status=c.status, level=c.level,
                  note=c.raised.resolution.strip() if c.level == Level.ONSITE else "",
                  data={"solved_on_site": True, "satisfaction": c.raised.satisfaction} if c.level == Level.ONSITE
                  else {}, created_at=now)
        for c in cases
    )  # fmt: skip
    notify_events(events)
    _dispatch_automatically(cases, now=now)
    for case in cases:
        del case.raised
    return cases


@dataclass(frozen=True)
class _OnSite:
    resolution: str
    feedback: str
    resident_response: str
    satisfaction: str


def _prepare(
    *,
    by,
    title: str,
    description: str,
    category: Category,
    urgency: str,
    difficulty: str | None = None,
    source: str = Source.DIARY,
    township: OrgUnit | None,
    station: OrgUnit | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_address: str = "",
    diary=None,
    solved_on_site: bool = False,
    resolution: str = "",
    feedback: str = "",
    resident_response: str = "",
    satisfaction: str = "",
    household_id: int | None = None,
    confidential: bool = False,
    now: datetime.datetime,
    deadline_table: deadlines.Overrides,
) -> Case:
    """The case row, checked and with its clock started, not yet saved."""
    roles = by.role_names
    # A resident's own request (residents.intake): ``by`` is the station's officer, who gives the feedback;
    # it waits at the township desk like an officer's case that needs help.
    if source == Source.RESIDENT:
        require(Role.OFFICER in roles and station is not None and not solved_on_site)
        level = Level.TOWNSHIP
    elif source == Source.DIARY or solved_on_site:
        require(Role.OFFICER in roles, _("Only a stationed officer raises cases from a diary or solves them on site."))
        level = Level.ONSITE if solved_on_site else Level.TOWNSHIP
    elif Role.CITY_OFFICE in roles:
        level = Level.CITY
    else:
        require(
            Role.TOWNSHIP_STAFF in roles, _("Only township staff and the city office take cases from other channels.")
        )
        level = Level.TOWNSHIP
    if source not in (Source.DIARY, Source.RESIDENT) and not solved_on_site:
        _check_desk_township(by, level=level, township=township, station=station)
    if solved_on_site and not (resolution.strip() and feedback.strip()):
        raise ValidationError({"resolution": _("Say how it was solved and what the resident was told.")})
    if satisfaction and satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Unknown satisfaction answer.")})
    errors = field_errors(Case, {
        "title": title.strip(), "description": description, "urgency": urgency, "source": source,
        "difficulty": difficulty or category.default_difficulty, "reporter_name": reporter_name.strip(),
        "reporter_phone": reporter_phone.strip(), "reporter_address": reporter_address.strip(),
    }) | text_errors({"resolution": resolution, "feedback": feedback, "resident_response": resident_response})  # fmt: skip
    if errors:
        raise ValidationError(errors)

    case = Case(
        title=title.strip(),
        description=description.strip(),
        category=category,
        difficulty=difficulty or category.default_difficulty,
        urgency=urgency,
        source=source,
        level=level,
        status=Status.PENDING_DISPATCH,
        # Only the city office raises without a township (an order from another platform naming none).
        city_id=township.city_id if township is not None else by.org_unit.city_id,
        township=township,
        station=station,
        officer=by if Role.OFFICER in roles and source in (Source.DIARY, Source.RESIDENT) else None,
        created_by=by,
        diary=diary,
        # The household record the issue concerns (HOUSEHOLDS.md); the caller checked it is of the station.
        household_id=household_id,
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        reporter_address=reporter_address.strip(),
        confidential=confidential,
        created_at=now,
    )
    # What the on-site rows need once the case has its id (dropped before the case is returned).
    case.raised = _OnSite(resolution, feedback, resident_response, satisfaction)
    if not solved_on_site:
        start_clock(case, after(Action.RAISE), now=now, deadline_table=deadline_table)
    else:
        case.outcome = "solved"
        if satisfaction:
            start_clock(case, after(Action.CALLBACK), now=now, deadline_table=deadline_table)
            case.closed_at = now
        else:
            start_clock(case, after(Action.FEEDBACK), now=now, deadline_table=deadline_table)
    return case


def _check_desk_township(by, *, level: str, township: OrgUnit, station: OrgUnit | None) -> None:
    """A desk raises only inside its own township (or, for the city office, its own city)."""
    own = by.org_unit
    if township is None and level == Level.CITY and own is not None and station is None:
        return  # the city office dispatches it; no township is needed to find the unit
    if township is None or not township.is_township or own is None:
        raise ValidationError({"township": _("Choose a township.")})
    inside = township.city_id == own.city_id if level == Level.CITY else township.pk == own.township_id
    if not inside:
        raise ValidationError({"township": _("This township is not yours to raise cases in.")})
    if station is not None and (station.township_id != township.pk or station.kind not in STATION_KINDS):
        raise ValidationError({"station": _("This village, community or enterprise is not in the township.")})


def _dispatch_automatically(cases: list[Case], *, now: datetime.datetime) -> None:
    """A routing rule marked automatic hands the case over at once, with no one at the desk."""
    auto = auto_dispatch_categories()
    if not any(c.category_id in auto or c.category.parent_id in auto for c in cases):
        return
    for case_id, rule in rules_for(cases).items():
        if not rule.auto_dispatch:
            continue
        case = next(c for c in cases if c.pk == case_id)
        # A rule whose unit no longer fits the case (moved, deactivated) leaves it for the desk.
        if not dispatchable_units(case).filter(pk=rule.unit_id).exists():
            continue
        dispatch_to(case, unit=rule.unit, assisting_units=[], by=None,
                    note=_("Dispatched automatically by a routing rule."), now=now)  # fmt: skip
