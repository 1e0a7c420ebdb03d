"""Every case action of LIFECYCLE.md, declared once (see cases.actions.base.CaseAction).

Adding an action means one entry here plus its service. The "who may"
predicates for one action live in its entry; relations shared by several
(the level's desk, the unit's handler) are in cases.permissions.
"""

from django.db.models import Exists, OuterRef
from django.utils import formats
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from cases import forms
from cases.actions.base import CaseAction, Event
from cases.api import serializers as bodies
from cases.audiences import ASSISTING, CITY_OFFICE, DESK, INSTRUCTION_AUTHOR, OFFICER, OFFICER_OR_DESK, UNIT, either
from cases.choices import OPEN_STATUSES, Action, FeedbackChannel, InvalidReason, Level, Outcome, Satisfaction, Status
from cases.models import Case, Extension, Hold, Instruction, Unreasonable
from notifications.texts import keyed

# --- what the timeline says, in the reader's language ------------------------------------------------------


def _when(value: str | None) -> str:
    moment = parse_datetime(value) if value else None
    return formats.date_format(moment, "Y-m-d H:i") if moment else ""


def _days_asked(event) -> str:
    days = event.data.get("days")
    return ngettext("%(n)d working day asked", "%(n)d working days asked", days) % {"n": days} if days else ""


def _decision(event) -> str:
    days = event.data.get("days") or 0
    if event.data.get("approve"):
        return ngettext(
            "Approved: %(n)d more working day; handling is now due %(due)s",
            "Approved: %(n)d more working days; handling is now due %(due)s",
            days,
        ) % {"n": days, "due": _when(event.data.get("handle_due"))}
    return gettext("Denied")


def _outcome(event) -> str:
    outcome = event.data.get("outcome")
    return gettext("Outcome: %(outcome)s") % {"outcome": Outcome(outcome).label} if outcome in Outcome.values else ""


def _told(event) -> str:
    channel = event.data.get("channel")
    return gettext("Told by %(channel)s") % {"channel": FeedbackChannel(channel).label} if channel else ""


def _callback(event) -> str:
    data = event.data
    if not data.get("reached"):
        return gettext("Closed without reaching the resident, after repeated unanswered calls")
    solved = gettext("solved") if data.get("solved") else gettext("not solved")
    satisfaction = data.get("satisfaction")
    label = Satisfaction(satisfaction).label if satisfaction in Satisfaction.values else ""
    return " · ".join(str(p) for p in (pgettext("timeline", "Resident reached"), solved, label) if p)


def _attempt(event) -> str:
    n = event.data.get("attempt")
    return gettext("Resident not reached (call %(n)d)") % {"n": n} if n else gettext("Resident not reached")


def _assisting(event) -> str:
    n = len(event.data.get("assisting_units") or [])
    return ngettext("With %(n)d assisting unit", "With %(n)d assisting units", n) % {"n": n} if n else ""


def _handed_over(event) -> str:
    data = event.data
    return gettext("From %(old)s to %(new)s") % {"old": data.get("from_name", ""), "new": data.get("to_name", "")}


def _order(event) -> str:
    """A 督办单 event names its order: the number and, when issued, the date the answer is due."""
    data = event.data
    if data.get("reply_by"):
        return gettext("%(number)s, answer by %(date)s") % {"number": data.get("number", ""), "date": data["reply_by"]}
    return str(data.get("number", ""))


def _appeal(event) -> str:
    """A 申诉 event names the month appealed and, once decided, the decision."""
    data = event.data
    if data.get("decision"):
        decision = gettext("Upheld") if data["decision"] == "upheld" else gettext("Rejected")
        return gettext("%(month)s: %(decision)s") % {"month": data.get("month", ""), "decision": decision}
    return str(data.get("month", ""))


def _automatic(event) -> str:
    return gettext("By the deadline sweep") if event.data.get("automatic") else ""


def _instruction(event) -> str:
    return gettext("The desk records how it is carried out") if event.data.get("instruction") else ""


def _instruction_report(event) -> str:
    written = _when(event.data.get("written_at"))
    return gettext("How the instruction of %(when)s was carried out") % {"when": written} if written else ""


def _day(value: str | None) -> str:
    day = parse_date(value) if value else None
    return formats.date_format(day, "Y-m-d") if day else ""


def _hold_asked(event) -> str:
    return gettext("On hold until %(date)s, if approved") % {"date": _day(event.data.get("review_on"))}


def _hold_decided(event) -> str:
    if event.data.get("approve"):
        return gettext("Approved: the clocks stop until %(date)s") % {"date": _day(event.data.get("review_on"))}
    return gettext("Refused")


def _unreasonable_asked(event) -> str:
    return gettext("Unreasonable, if the city office agrees")


def _unreasonable_decided(event) -> str:
    if event.data.get("approve"):
        return gettext("Approved: an unreasonable request, left out of the unit's score")
    return gettext("Refused: the request stands")


def _invalid(event) -> str:
    kind = event.data.get("kind")
    label = InvalidReason(kind).label if kind in InvalidReason.values else ""
    return gettext("Invalid: %(why)s") % {"why": label} if label else ""


def _released(event) -> str:
    if event.data.get("automatic"):
        return gettext("Released on the review date: the clocks run again")
    return gettext("Released: the clocks run again")


# --- what the people concerned are told (worded again in each reader's language from the stored key) ------

_DECIDED_YES = keyed(
    "case.extension_approved",
    _("Extension approved for case {code}: {days} more working days"),
    _("{title}\nHandling is now due {due}.\n{note}"),
)
_DECIDED_NO = keyed("case.extension_denied", _("Extension denied for case {code}"), _("{title}\nReason: {note}"))
_RAISED = keyed("case.raise", _("New case {code} waits for dispatch"), _("{title}"))
_SOLVED_ON_SITE = keyed(
    "case.solved_on_site", _("Case {code} was solved on the spot: call the resident back"), _("{title}\n{note}")
)
_HOLD_APPROVED = keyed(
    "case.hold_approved",
    _("Case {code} is on hold (挂账) until {date}: its clocks stop"),
    _("{title}\nTell the resident the case waits on a plan or budget until {date}.\n{note}"),
)
_HOLD_REFUSED = keyed("case.hold_refused", _("Hold refused for case {code}"), _("{title}\nReason: {note}"))
_UNREASONABLE_APPROVED = keyed(
    "case.unreasonable_approved",
    _("Case {code} is found an unreasonable request (不合理诉求): it leaves the unit's score"),
    _("{title}\n{note}"),
)
_UNREASONABLE_REFUSED = keyed(
    "case.unreasonable_refused",
    _("Case {code} is not found unreasonable: the request stands"),
    _("{title}\nReason: {note}"),
)
_HANDED_OVER = keyed("case.handover", _("Case {code} was handed over to you"), _("{title}\n{note}"))


def _raise_notice(event):
    if event.to_status == Status.CLOSED:
        return None  # solved on the spot with the resident's answer: nothing left to do
    return _SOLVED_ON_SITE if event.to_status == Status.PENDING_CALLBACK else _RAISED


# Where an event leaves the case's status: the status stays as it was.
STAYS = None

# --- the actions ------------------------------------------------------------------------------------------

_HANDLER_ONLY = _("Only a handler of the unit the case was dispatched to may do this.")

# Who may, by the case's level (LIFECYCLE.md "who may").
_ALL_LEVELS = (Level.ONSITE, Level.TOWNSHIP, Level.CITY)


def _everywhere(*roles: str) -> dict[str, tuple[str, ...]]:
    return dict.fromkeys(_ALL_LEVELS, roles)


# The desk of the case's level: township staff for a township case, the city office for a city case.
_DESK = {Level.TOWNSHIP: (Role.TOWNSHIP_STAFF,), Level.CITY: (Role.CITY_OFFICE,)}
_HANDLER = _everywhere(Role.UNIT_HANDLER)
_CALLERS = _everywhere(Role.TOWNSHIP_STAFF, Role.CITY_OFFICE)  # the township's staff or the city office


def _extension_pending(case: Case) -> bool:
    """From the prefetched extensions when the page has them, or as the locked row was read, else one query."""
    cache = getattr(case, "_prefetched_objects_cache", {})
    if "extensions" in cache:
        return any(e.decision == Extension.Decision.PENDING for e in cache["extensions"])
    if hasattr(case, "extension_pending"):
        return case.extension_pending
    return case.extensions.filter(decision=Extension.Decision.PENDING).exists()


def _instruction_open(case: Case) -> bool:
    """An instruction of the case waits for its report: from the prefetched list, the locked row, or one query."""
    cache = getattr(case, "_prefetched_objects_cache", {})
    if "instructions" in cache:
        return any(i.carried_out_at is None for i in cache["instructions"])
    if hasattr(case, "instruction_open"):
        return case.instruction_open
    return case.instructions.filter(carried_out_at__isnull=True).exists()


def _hold_open(case: Case, decision: str) -> bool:
    """Whether a hold of the case waits for a decision (``pending``) or is in force (``approved``)."""
    if decision == Hold.Decision.APPROVED:
        return case.held_since is not None
    if hasattr(case, "hold_pending"):  # read with the row (CaseAction.lock, the detail's selector)
        return case.hold_pending
    cache = getattr(case, "_prefetched_objects_cache", {})
    if "holds" in cache:
        return any(h.decision == decision for h in cache["holds"])
    return case.holds.filter(decision=decision).exists()


def _unreasonable_state(case: Case) -> str | None:
    """The case's open 不合理诉求 claim: ``"pending"``, ``"approved"`` or None. As the row was read
    (CaseAction.lock, the detail's selector, ``cases.selectors.unreasonable_flag``), else one query."""
    if hasattr(case, "unreasonable_state"):
        return case.unreasonable_state
    open_claims = case.unreasonable_claims.filter(
        decision__in=[Unreasonable.Decision.PENDING, Unreasonable.Decision.APPROVED]
    )
    return open_claims.values_list("decision", flat=True).first()


def _redo_window_open(case: Case, now) -> bool:
    from cases.services.closing import redo_refusal

    return not redo_refusal(case, now=now)


DISPATCH = CaseAction(
    name="dispatch",
    label=_("Dispatch"),
    events=(
        Event(
            Action.DISPATCH,
            Status.PENDING_SIGN,
            either(UNIT, ASSISTING),
            keyed("case.dispatch", _("Case {code} was dispatched to your unit"), _("{title}\n{note}")),
            _assisting,
        ),
    ),
    allowed_from=frozenset({Status.PENDING_DISPATCH}),
    who=_DESK,
    forbidden=_("Only the desk of the case's level dispatches it."),
    body=bodies.DispatchSerializer,
    form=forms.DispatchForm,
    service="cases.services.case_dispatch",
)
ESCALATE = CaseAction(
    name="escalate",
    emphasis="side",
    label=_("Escalate to the city"),
    # The case is at city level by the time anyone is told: DESK reaches the city office.
    events=(
        Event(
            Action.ESCALATE,
            Status.PENDING_DISPATCH,
            DESK,
            keyed("case.escalate", _("Case {code} was escalated to the city"), _("{title}\n{note}")),
        ),
    ),
    allowed_from=frozenset({Status.PENDING_DISPATCH, Status.IN_PROGRESS}),
    levels=frozenset({Level.TOWNSHIP}),
    wrong_level=_("Only a township case can go up to the city."),
    who={Level.TOWNSHIP: (Role.TOWNSHIP_STAFF,)},
    forbidden=_("Only the township desk escalates a case to the city."),
    body=bodies.ReasonSerializer,
    form=forms.ReasonForm,
    service="cases.services.case_escalate",
)
SIGN = CaseAction(
    name="sign",
    label=_("Sign for"),
    events=(Event(Action.SIGN, Status.IN_PROGRESS),),
    allowed_from=frozenset({Status.PENDING_SIGN}),
    who=_HANDLER,
    forbidden=_HANDLER_ONLY,
    body=bodies.EmptySerializer,
    form=forms.SignForm,
    service="cases.services.case_sign",
)
RETURN = CaseAction(
    name="return",
    emphasis="back",
    label=_("Return"),
    events=(
        Event(
            Action.RETURN,
            Status.PENDING_DISPATCH,
            DESK,
            keyed("case.return", _("Case {code} was returned by the unit"), _("{title}\nReason: {note}")),
        ),
    ),
    allowed_from=frozenset({Status.PENDING_SIGN, Status.IN_PROGRESS}),
    who=_HANDLER,
    forbidden=_HANDLER_ONLY,
    body=bodies.ReasonSerializer,
    form=forms.ReasonForm,
    service="cases.services.case_return",
)
EXTENSION = CaseAction(
    name="extension",
    emphasis="side",
    label=_("Ask for an extension"),
    events=(
        Event(
            Action.EXTENSION_REQUEST,
            STAYS,
            DESK,
            keyed("case.extension_request", _("Case {code}: {days} more working days asked"), _("{title}\n{note}")),
            _days_asked,
        ),
    ),
    allowed_from=frozenset({Status.IN_PROGRESS}),
    who=_HANDLER,
    forbidden=_HANDLER_ONLY,
    offered=lambda case, now: not _extension_pending(case),
    body=bodies.ExtensionRequestSerializer,
    form=forms.ExtensionForm,
    service="cases.services.case_extension_request",
)
EXTENSION_DECISION = CaseAction(
    name="extension-decision",
    label=_("Decide the extension"),
    events=(
        Event(
            Action.EXTENSION_DECISION,
            STAYS,
            UNIT,
            lambda e: _DECIDED_YES if e.data.get("approve") else _DECIDED_NO,
            _decision,
        ),
    ),
    allowed_from=frozenset({Status.IN_PROGRESS}),
    # The dispatching desk; the city office at any level.
    who={Level.TOWNSHIP: (Role.TOWNSHIP_STAFF, Role.CITY_OFFICE), Level.CITY: (Role.CITY_OFFICE,)},
    forbidden=_("Only the dispatching desk or the city office decides extensions."),
    offered=lambda case, now: _extension_pending(case),
    waits=lambda: Exists(Extension.objects.filter(case=OuterRef("pk"), decision=Extension.Decision.PENDING)),
    body=bodies.ExtensionDecisionSerializer,
    form=forms.DecisionForm,
    service="cases.services.case_extension_decide",
)
REPLY = CaseAction(
    name="reply",
    label=_("Reply"),
    events=(
        Event(
            Action.REPLY,
            Status.PENDING_REVIEW,
            DESK,
            keyed("case.reply", _("Case {code} was replied and waits for review"), _("{title}\n{note}")),
            _outcome,
        ),
    ),
    allowed_from=frozenset({Status.IN_PROGRESS}),
    who=_HANDLER,
    forbidden=_HANDLER_ONLY,
    body=bodies.ReplySerializer,
    form=forms.ReplyForm,
    service="cases.services.case_reply",
)
REVIEW = CaseAction(
    name="review",
    label=_("Review the reply"),
    events=(
        # Approved is not closed: the resident still has to be told (反映必反馈).
        Event(
            Action.REVIEW_APPROVE,
            Status.PENDING_FEEDBACK,
            OFFICER_OR_DESK,
            keyed(
                "case.review_approve",
                _("The reply to case {code} was approved: tell the resident the result"),
                _("{title}\nFeedback to the resident is now due."),
            ),
        ),
        Event(
            Action.REVIEW_REJECT,
            Status.IN_PROGRESS,
            UNIT,
            keyed("case.review_reject", _("The reply to case {code} was rejected"), _("{title}\nReason: {note}")),
        ),
    ),
    allowed_from=frozenset({Status.PENDING_REVIEW}),
    who=_DESK,
    forbidden=_("Only the desk that dispatched the case reviews its reply."),
    body=bodies.ReviewSerializer,
    form=forms.ReviewForm,
    service="cases.services.case_review",
)
FEEDBACK = CaseAction(
    name="feedback",
    label=_("Give feedback"),
    events=(
        Event(
            Action.FEEDBACK,
            Status.PENDING_CALLBACK,
            DESK,
            keyed("case.feedback", _("Case {code}: the resident was told, call back"), _("{title}")),
            _told,
        ),
    ),
    allowed_from=frozenset({Status.PENDING_FEEDBACK}),
    # The officer who raised it, or the dispatching desk.
    who={level: (Role.OFFICER, *_DESK.get(level, ())) for level in _ALL_LEVELS},
    forbidden=_("Only the officer who raised the case or the dispatching desk gives feedback."),
    body=bodies.FeedbackSerializer,
    form=forms.FeedbackForm,
    service="cases.services.case_feedback",
)
CALLBACK = CaseAction(
    name="callback",
    label=_("Call back"),
    events=(
        Event(
            Action.CALLBACK,
            Status.CLOSED,
            OFFICER,
            keyed("case.callback", _("Case {code} is closed"), _("{title}\n{note}")),
            _callback,
        ),
        Event(Action.CALLBACK_ATTEMPT, STAYS, says=_attempt),
    ),
    allowed_from=frozenset({Status.PENDING_CALLBACK}),
    who=_CALLERS,
    forbidden=_("Only township staff or the city office call residents back."),
    body=bodies.CallbackSerializer,
    form=forms.CallbackForm,
    service="cases.services.case_callback",
)
REDO = CaseAction(
    name="redo",
    emphasis="side",
    label=_("Redo"),
    events=(
        Event(
            Action.REDO,
            Status.PENDING_DISPATCH,
            DESK,
            keyed("case.redo", _("Case {code} was reopened for redo"), _("{title}\nReason: {note}")),
        ),
    ),
    allowed_from=frozenset({Status.CLOSED}),
    who=_CALLERS,
    forbidden=_("Only township staff or the city office reopen a case."),
    offered=_redo_window_open,
    body=bodies.ReasonSerializer,
    form=forms.ReasonForm,
    service="cases.services.case_redo",
)
SUPERVISE = CaseAction(
    name="supervise",
    emphasis="side",
    label=_("Supervise"),
    events=(
        Event(
            Action.SUPERVISE,
            STAYS,
            either(UNIT, DESK),
            keyed("case.supervise", _("Case {code} is supervised by the city office"), _("{title}\n{note}")),
            _automatic,
        ),
    ),
    allowed_from=OPEN_STATUSES,
    who=_everywhere(Role.CITY_OFFICE),
    forbidden=_("Only the city office supervises cases."),
    body=bodies.NoteSerializer,
    form=forms.SuperviseForm,
    service="cases.services.case_supervise",
)
# 挂账 (OVERSIGHT.md "Pausing the clock"): the desk asks, the city office decides, the desk, the city office
# or the sweep on the review date releases it. The case stays where it is; only its clocks stop.
HOLD = CaseAction(
    name="hold",
    emphasis="side",
    label=_("Put on hold (挂账)"),
    events=(
        Event(
            Action.HOLD_REQUEST,
            STAYS,
            CITY_OFFICE,
            keyed(
                "case.hold_request",
                _("Case {code}: a hold (挂账) until {date} waits for approval"),
                _("{title}\nReason: {note}"),
            ),  # fmt: skip
            _hold_asked,
        ),
    ),
    allowed_from=frozenset({Status.PENDING_DISPATCH, Status.IN_PROGRESS}),
    who=_DESK,
    forbidden=_("Only the desk of the case's level puts a case on hold."),
    offered=lambda case, now: case.held_since is None and not _hold_open(case, Hold.Decision.PENDING),
    body=bodies.HoldSerializer,
    form=forms.HoldForm,
    service="cases.services.case_hold_request",
)
HOLD_DECISION = CaseAction(
    name="hold-decision",
    label=_("Decide the hold"),
    events=(
        Event(
            Action.HOLD_DECISION,
            STAYS,
            either(DESK, UNIT, OFFICER),
            lambda e: _HOLD_APPROVED if e.data.get("approve") else _HOLD_REFUSED,
            _hold_decided,
        ),
    ),
    allowed_from=OPEN_STATUSES,
    who=_everywhere(Role.CITY_OFFICE),
    forbidden=_("Only the city office approves a hold."),
    offered=lambda case, now: _hold_open(case, Hold.Decision.PENDING),
    waits=lambda: Exists(Hold.objects.filter(case=OuterRef("pk"), decision=Hold.Decision.PENDING)),
    body=bodies.HoldDecisionSerializer,
    form=forms.HoldDecisionForm,
    service="cases.services.case_hold_decide",
)
RELEASE = CaseAction(
    name="release",
    emphasis="side",
    label=_("Release the hold"),
    events=(
        Event(
            Action.RELEASE,
            STAYS,
            either(DESK, UNIT),
            keyed("case.release", _("Case {code} is off hold: its clocks run again"), _("{title}\n{note}")),
            _released,
        ),
    ),
    allowed_from=OPEN_STATUSES,
    who={Level.TOWNSHIP: (Role.TOWNSHIP_STAFF, Role.CITY_OFFICE), Level.CITY: (Role.CITY_OFFICE,)},
    forbidden=_("Only the desk or the city office releases a hold."),
    offered=lambda case, now: case.held_since is not None,
    body=bodies.NoteSerializer,
    form=forms.ReleaseForm,
    service="cases.services.case_release",
)

INSTRUCTION = CaseAction(
    name="instruction",
    emphasis="side",
    label=_("Write an instruction"),
    events=(
        Event(
            Action.INSTRUCTION,
            STAYS,
            either(DESK, UNIT),
            keyed("case.instruction", _("A leader wrote an instruction on case {code}"), _("{title}\n{note}")),
            _instruction,
        ),
    ),
    # 批示 at any moment of the case's life, closed included (LIFECYCLE.md).
    allowed_from=frozenset(Status.values),
    who=_everywhere(Role.LEADER),
    forbidden=_("Only a leader writes instructions."),
    body=bodies.InstructionSerializer,
    form=forms.InstructionForm,
    service="cases.services.case_instruction",
)
INSTRUCTION_REPORT = CaseAction(
    name="instruction-report",
    label=_("Record how the instruction was carried out"),
    events=(
        Event(
            Action.INSTRUCTION_REPORT,
            STAYS,
            INSTRUCTION_AUTHOR,
            keyed(
                "case.instruction_report",
                _("Your instruction on case {code} was carried out"),
                _("{title}\n{note}"),
            ),
            _instruction_report,
        ),
    ),
    allowed_from=frozenset(Status.values),
    # The desk of the case's level (the township's for a case solved on site); the city office at any level.
    who={
        Level.ONSITE: (Role.TOWNSHIP_STAFF, Role.CITY_OFFICE),
        Level.TOWNSHIP: (Role.TOWNSHIP_STAFF, Role.CITY_OFFICE),
        Level.CITY: (Role.CITY_OFFICE,),
    },
    forbidden=_("Only the desk of the case's level or the city office records how an instruction was carried out."),
    offered=lambda case, now: _instruction_open(case),
    waits=lambda: Exists(Instruction.objects.filter(case=OuterRef("pk"), carried_out_at__isnull=True)),
    body=bodies.InstructionReportSerializer,
    form=forms.InstructionReportForm,
    service="cases.services.case_instruction_report",
)
# 不合理诉求 (OVERSIGHT.md "Scores"): the desk says the request is unreasonable, the city office decides; an
# approved claim leaves the unit's score (cases.selectors.unreasonable_approved). The case stays where it is.
UNREASONABLE = CaseAction(
    name="unreasonable",
    emphasis="side",
    label=_("Mark unreasonable (不合理诉求)"),
    events=(
        Event(
            Action.UNREASONABLE_REQUEST,
            STAYS,
            CITY_OFFICE,
            keyed(
                "case.unreasonable_request",
                _("Case {code} is marked an unreasonable request (不合理诉求) and waits for your decision"),
                _("{title}\nReason: {note}"),
            ),  # fmt: skip
            _unreasonable_asked,
        ),
    ),
    allowed_from=OPEN_STATUSES,
    who=_DESK,
    forbidden=_("Only the desk of the case's level marks a request unreasonable."),
    offered=lambda case, now: _unreasonable_state(case) is None,
    body=bodies.ReasonSerializer,
    form=forms.UnreasonableForm,
    service="cases.services.case_unreasonable_request",
)
UNREASONABLE_DECISION = CaseAction(
    name="unreasonable-decision",
    label=_("Decide the unreasonable request"),
    events=(
        Event(
            Action.UNREASONABLE_DECISION,
            STAYS,
            either(DESK, UNIT),
            lambda e: _UNREASONABLE_APPROVED if e.data.get("approve") else _UNREASONABLE_REFUSED,
            _unreasonable_decided,
        ),
    ),
    # Closing the case does not end a claim still waiting: the score of the month it closed in depends on it.
    allowed_from=frozenset(Status.values),
    who=_everywhere(Role.CITY_OFFICE),
    forbidden=_("Only the city office decides whether a request is unreasonable."),
    offered=lambda case, now: _unreasonable_state(case) == Unreasonable.Decision.PENDING,
    waits=lambda: Exists(Unreasonable.objects.filter(case=OuterRef("pk"), decision=Unreasonable.Decision.PENDING)),
    body=bodies.UnreasonableDecisionSerializer,
    form=forms.UnreasonableDecisionForm,
    service="cases.services.case_unreasonable_decide",
)

# 无效 (LIFECYCLE.md, RESIDENTS.md "Abuse and bad input"): spam, a test, a duplicate. Closed at once, with no
# feedback (there is nobody to answer), and left out of every figure (dashboards.facts); it stays in the lists
# with a badge and in the audit trail.
INVALID = CaseAction(
    name="invalid",
    emphasis="back",
    label=_("Mark invalid (无效)"),
    events=(
        Event(
            Action.INVALID,
            Status.CLOSED,
            either(UNIT, OFFICER),
            keyed("case.invalid", _("Case {code} was marked invalid (无效) and closed"), _("{title}\nReason: {note}")),
            _invalid,
        ),
    ),
    allowed_from=OPEN_STATUSES,
    who=_DESK,
    forbidden=_("Only the desk of the case's level marks a request invalid."),
    body=bodies.InvalidSerializer,
    form=forms.InvalidForm,
    service="cases.services.case_mark_invalid",
)

ACTIONS: dict[str, CaseAction] = {
    a.name: a
    for a in (DISPATCH, ESCALATE, SIGN, RETURN, EXTENSION, EXTENSION_DECISION, REPLY, REVIEW, FEEDBACK, CALLBACK,
              REDO, SUPERVISE, HOLD, HOLD_DECISION, RELEASE, INSTRUCTION, INSTRUCTION_REPORT, UNREASONABLE,
              UNREASONABLE_DECISION, INVALID)
}  # fmt: skip

# Events written by other paths than an action route: raising (a diary or a desk), the sweep, projects,
# and an officer's handover when they leave (accounts.handover): the new officer hears of each case.
OTHER_EVENTS: dict[str, tuple[Event, frozenset[str]]] = {
    # The officer hears of a case raised for them (a resident's request); their own raises name them as actor.
    Action.RAISE: (Event(Action.RAISE, Status.PENDING_DISPATCH, either(DESK, OFFICER), _raise_notice), frozenset()),
    Action.LINK_PROJECT: (Event(Action.LINK_PROJECT, STAYS), OPEN_STATUSES),
    # A project's progress stored as the case's feedback draft (cases.services.project_progress): no notice,
    # the desk finds it in the feedback form.
    Action.PROJECT_UPDATE_DRAFTED: (Event(Action.PROJECT_UPDATE_DRAFTED, STAYS), OPEN_STATUSES),
    Action.OVERDUE: (Event(Action.OVERDUE, STAYS), OPEN_STATUSES),
    Action.HANDOVER: (Event(Action.HANDOVER, STAYS, OFFICER, _HANDED_OVER, _handed_over), OPEN_STATUSES),
    # 督办单 (oversight.services): the oversight app tells the unit and the city office itself, naming the order.
    Action.ORDER_ISSUED: (Event(Action.ORDER_ISSUED, STAYS, says=_order), OPEN_STATUSES),
    Action.ORDER_SIGNED: (Event(Action.ORDER_SIGNED, STAYS, says=_order), frozenset(Status.values)),
    Action.ORDER_REPLIED: (Event(Action.ORDER_REPLIED, STAYS, says=_order), frozenset(Status.values)),
    # 申诉 (oversight.appeals): about a month's score, whatever the case's status now.
    Action.APPEAL_FILED: (Event(Action.APPEAL_FILED, STAYS, says=_appeal), frozenset(Status.values)),
    Action.APPEAL_DECIDED: (Event(Action.APPEAL_DECIDED, STAYS, says=_appeal), frozenset(Status.values)),
}

EVENTS: dict[str, Event] = {
    **{e.kind: e for a in ACTIONS.values() for e in a.events},
    **{kind: event for kind, (event, _from) in OTHER_EVENTS.items()},
}

# LIFECYCLE.md's "from" column by event kind, for the services and the demo seeder that write events.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    **{e.kind: a.allowed_from for a in ACTIONS.values() for e in a.events},
    **{kind: allowed for kind, (_event, allowed) in OTHER_EVENTS.items()},
}


def event_says(event) -> str:
    """The event's decision and details in the reader's language (the timeline and the API show it)."""
    spec = EVENTS.get(event.action)
    return str(spec.says(event)) if spec and spec.says else ""
