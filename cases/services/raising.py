"""Raising a case: on site, needing help, or from another intake channel."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import OrgUnit
from accounts.roles import Role
from cases.choices import Action, FeedbackChannel, Level, Satisfaction, Source, Status
from cases.models import Callback, Case, Category, Feedback
from cases.services.core import assign_code, now_or, record, require, start_clock


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
    if solved_on_site and not (resolution.strip() and feedback.strip()):
        raise ValidationError({"resolution": _("Say how it was solved and what the resident was told.")})
    if satisfaction and satisfaction not in Satisfaction.values:
        raise ValidationError({"satisfaction": _("Unknown satisfaction answer.")})

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
    return case


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
