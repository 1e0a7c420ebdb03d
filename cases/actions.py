"""The case actions as the API and the pages name them (API.md "Case actions").

One table ties each name to its service, the transition it checks and who
may take it, so the API routes, the page forms and "what may I do now"
cannot drift apart. Both layers call ``perform``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audit.services import audit_log
from cases import permissions, services
from cases.choices import Action, Level, Status
from cases.models import Case, Extension
from cases.services.closing import redo_refusal
from cases.transitions import ALLOWED_FROM, TransitionNotAllowed


@dataclass(frozen=True)
class CaseAction:
    name: str
    label: Promise
    service: Callable[..., Case]
    transitions: tuple[str, ...]
    may: Callable[[object, Case], bool]


def _may_escalate(user, case: Case) -> bool:
    return case.level == Level.TOWNSHIP and permissions.may_escalate(user, case)


ACTIONS: dict[str, CaseAction] = {
    a.name: a
    for a in [
        CaseAction("dispatch", _("Dispatch"), services.case_dispatch, (Action.DISPATCH,), permissions.may_dispatch),
        CaseAction("escalate", _("Escalate to the city"), services.case_escalate, (Action.ESCALATE,), _may_escalate),
        CaseAction("sign", _("Sign for"), services.case_sign, (Action.SIGN,), permissions.is_handler),
        CaseAction("return", _("Return"), services.case_return, (Action.RETURN,), permissions.is_handler),
        CaseAction("extension", _("Ask for an extension"), services.case_extension_request,
                   (Action.EXTENSION_REQUEST,), permissions.is_handler),
        CaseAction("extension-decision", _("Decide the extension"), services.case_extension_decide,
                   (Action.EXTENSION_DECISION,), permissions.may_decide_extension),
        CaseAction("reply", _("Reply"), services.case_reply, (Action.REPLY,), permissions.is_handler),
        CaseAction("review", _("Review the reply"), services.case_review,
                   (Action.REVIEW_APPROVE, Action.REVIEW_REJECT), permissions.is_level_desk),
        CaseAction("feedback", _("Give feedback"), services.case_feedback, (Action.FEEDBACK,),
                   permissions.may_give_feedback),
        CaseAction("callback", _("Call back"), services.case_callback, (Action.CALLBACK, Action.CALLBACK_ATTEMPT),
                   permissions.may_call_back),
        CaseAction("redo", _("Redo"), services.case_redo, (Action.REDO,), permissions.may_call_back),
        CaseAction("supervise", _("Supervise"), services.case_supervise, (Action.SUPERVISE,),
                   permissions.may_supervise),
    ]
}  # fmt: skip


def available_actions(user, case: Case, *, now=None) -> list[CaseAction]:
    """What the user may do to the case now: right status, right role, and what else the service insists on."""
    now = now or timezone.now()
    found = []
    pending = None
    for action in ACTIONS.values():
        if not any(case.status in ALLOWED_FROM[t] for t in action.transitions) or not action.may(user, case):
            continue
        if action.name in ("extension", "extension-decision"):
            if pending is None:
                pending = case.extensions.filter(decision=Extension.Decision.PENDING).exists()
            if pending != (action.name == "extension-decision"):
                continue
        if action.name == "redo" and redo_refusal(case, now=now):
            continue
        found.append(action)
    return found


# The services' own words for a role that may not act (the same msgids, so the same translations).
_HANDLER_ONLY = _("Only a handler of the unit the case was dispatched to may do this.")
FORBIDDEN = {
    "dispatch": _("Only the desk of the case's level dispatches it."),
    "escalate": _("Only the township desk escalates a case to the city."),
    "sign": _HANDLER_ONLY,
    "return": _HANDLER_ONLY,
    "extension": _HANDLER_ONLY,
    "reply": _HANDLER_ONLY,
    "extension-decision": _("Only the dispatching desk or the city office decides extensions."),
    "review": _("Only the desk that dispatched the case reviews its reply."),
    "feedback": _("Only the officer who raised the case or the dispatching desk gives feedback."),
    "callback": _("Only township staff or the city office call residents back."),
    "redo": _("Only township staff or the city office reopen a case."),
    "supervise": _("Only the city office supervises cases."),
}


def refuse_early(name: str, user, case: Case) -> None:
    """Refuse before the body is read, in the services' own order: status (409), then role (403).

    Who may not act at all is told 403 whatever they sent, instead of a 400
    about a form they were never offered; the service checks both again
    under its row lock, so a race still ends in 409.
    """
    action = ACTIONS[name]
    if not any(case.status in ALLOWED_FROM[t] for t in action.transitions):
        raise TransitionNotAllowed(action.transitions[0], case.status)
    if name == "escalate" and case.level != Level.TOWNSHIP:
        raise TransitionNotAllowed(Action.ESCALATE, case.status, _("Only a township case can go up to the city."))
    if not action.may(user, case):
        raise services.ActionForbidden(str(FORBIDDEN[name]))


def perform(name: str, *, case_id: int, user, data: dict, request: HttpRequest | None = None) -> Case:
    """Run the named action and leave one audit row whatever its outcome (QUALITY.md "Audit").

    Exceptions pass through for the caller to answer: Case.DoesNotExist (404),
    ActionForbidden (403), TransitionNotAllowed (409), ValidationError (400).
    """
    action = ACTIONS[name]
    try:
        case = action.service(case_id=case_id, by=user, **data)
    except Case.DoesNotExist:
        _audit(name, user, request, outcome="not_found", case_id=case_id)
        raise
    except services.ActionForbidden:
        _audit(name, user, request, outcome="forbidden", case_id=case_id)
        raise
    except TransitionNotAllowed as refused:
        _audit(name, user, request, outcome="conflict", case_id=case_id, status=refused.status)
        raise
    except ValidationError:
        _audit(name, user, request, outcome="invalid", case_id=case_id)
        raise
    _audit(name, user, request, outcome="ok", case_id=case_id, status=case.status)
    return case


def _audit(name: str, user, request, *, outcome: str, case_id: int, status: str = "") -> None:
    audit_log(
        action=f"case_{name.replace('-', '_')}",
        user=user,
        request=request,
        outcome=outcome,
        obj=Case(pk=case_id),  # only its label and id are written
        detail={"status": status} if status else {},
    )


__all__ = ["ACTIONS", "CaseAction", "Status", "available_actions", "perform", "refuse_early"]
