"""Raising a case: on site, needing help, or from another intake channel."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import STATION_KINDS, OrgUnit
from accounts.roles import Role
from cases.choices import Action, FeedbackChannel, Level, Satisfaction, Source, Status
from cases.models import Callback, Case, Category, Feedback
from cases.routing import rule_for
from cases.selectors import dispatchable_units
from cases.services.core import assign_code, now_or, record, require, start_clock
from cases.services.dispatching import dispatch_to
from core.validators import field_errors, text_errors


@transaction.atomic
def case_raise(
    *,
    by,
    title: str,
    description: str,
    category: Category,
    urgency: str,
    difficulty: str | None = None,
    source: str = Source.DIARY,
    township: OrgUnit,
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
    now: datetime.datetime | None = None,
) -> Case:
    """Create a case and its first event.

    An officer's case solved on the spot starts at level ``onsite`` with its
    feedback already given (and closes at once when the resident's verdict
    was taken then); otherwise an officer's case waits for the township desk.
    Desk staff raising from another channel (市长直通车, 信访 …) raise at their
    own level.
    """
    now = now_or(now)
    roles = by.role_names
    if source == Source.DIARY or solved_on_site:
        require(Role.OFFICER in roles, _("Only a stationed officer raises cases from a diary or solves them on site."))
        level = Level.ONSITE if solved_on_site else Level.TOWNSHIP
    elif Role.CITY_OFFICE in roles:
        level = Level.CITY
    else:
        require(
            Role.TOWNSHIP_STAFF in roles, _("Only township staff and the city office take cases from other channels.")
        )
        level = Level.TOWNSHIP
    if source != Source.DIARY and not solved_on_site:
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

    case = Case.objects.create(
        title=title.strip(),
        description=description.strip(),
        category=category,
        difficulty=difficulty or category.default_difficulty,
        urgency=urgency,
        source=source,
        level=level,
        status=Status.PENDING_DISPATCH,
        city_id=township.city_id,
        township=township,
        station=station,
        officer=by if Role.OFFICER in roles and source == Source.DIARY else None,
        created_by=by,
        diary=diary,
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
        reporter_address=reporter_address.strip(),
        created_at=now,
    )
    assign_code(case)
    if solved_on_site:
        _close_loop_on_site(case, by=by, resolution=resolution, feedback=feedback,
                            resident_response=resident_response, satisfaction=satisfaction, now=now)  # fmt: skip
    else:
        start_clock(case, Status.PENDING_DISPATCH, now=now)
        case.save()
        record(case, action=Action.RAISE, actor=by, from_status="", now=now)
        _dispatch_automatically(case, now=now)
    return case


def _check_desk_township(by, *, level: str, township: OrgUnit, station: OrgUnit | None) -> None:
    """A desk raises only inside its own township (or, for the city office, its own city)."""
    own = by.org_unit
    if not township.is_township or own is None:
        raise ValidationError({"township": _("Choose a township.")})
    inside = township.city_id == own.city_id if level == Level.CITY else township.pk == own.township_id
    if not inside:
        raise ValidationError({"township": _("This township is not yours to raise cases in.")})
    if station is not None and (station.township_id != township.pk or station.kind not in STATION_KINDS):
        raise ValidationError({"station": _("This village, community or enterprise is not in the township.")})


def _dispatch_automatically(case: Case, *, now: datetime.datetime) -> None:
    """A routing rule marked automatic hands the case over at once, with no one at the desk."""
    rule = rule_for(case)
    if rule is None or not rule.auto_dispatch:
        return
    # A rule whose unit no longer fits the case (moved, deactivated) leaves it for the desk.
    if not dispatchable_units(case).filter(pk=rule.unit_id).exists():
        return
    dispatch_to(case, unit=rule.unit, assisting_units=[], by=None, note=_("Dispatched automatically by a routing rule."),
                now=now)  # fmt: skip


def _close_loop_on_site(case: Case, *, by, resolution: str, feedback: str, resident_response: str, satisfaction: str,
                        now: datetime.datetime) -> None:  # fmt: skip
    case.outcome = "solved"
    Feedback.objects.create(
        case=case, channel=FeedbackChannel.VISIT, content=feedback.strip(),
        resident_response=resident_response.strip(), given_by=by, given_at=now,
    )  # fmt: skip
    if satisfaction:
        # The resident answered on the spot: that answer is the callback.
        Callback.objects.create(
            case=case, reached=True, solved=True, satisfaction=satisfaction, note=_("Answered on the spot."),
            closes=True, by=by, at=now,
        )  # fmt: skip
        start_clock(case, Status.CLOSED, now=now)
        case.closed_at = now
    else:
        start_clock(case, Status.PENDING_CALLBACK, now=now)
    case.save()
    record(case, action=Action.RAISE, actor=by, from_status="", now=now, note=resolution.strip(),
           data={"solved_on_site": True, "satisfaction": satisfaction})  # fmt: skip
