"""Taking a case action: the one path the API and the pages share."""

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from rest_framework.exceptions import ValidationError as BodyInvalid

from audit.services import audit_log
from cases.actions.base import ActionForbidden, CaseAction, TransitionNotAllowed
from cases.actions.definitions import ACTIONS
from cases.models import Case

EMPHASIS_ORDER = ("main", "side", "back")


def available_actions(user, case: Case, *, now: datetime.datetime | None = None) -> list[CaseAction]:
    """What the user may do to the case now: right status and level, right role, and what else it needs."""
    now = now or timezone.now()
    offered = [action for action in ACTIONS.values() if action.is_offered(user, case, now)]
    # The work itself first, handing the case back last (a stable sort keeps the definitions' order).
    return sorted(offered, key=lambda action: EMPHASIS_ORDER.index(action.emphasis))


def perform(
    action: CaseAction,
    *,
    case_id: int,
    user,
    read_body: Callable[[Case], dict],
    request: HttpRequest | None = None,
    cases: QuerySet[Case] | None = None,
) -> Case:
    """Lock the case through the scope, check the action, read the body, run the service and write
    the audit row (QUALITY.md "Audit"), all in one transaction.

    The order makes the answers rank the same on every route: outside the
    scope 404 whatever was sent (ids cannot be probed with bad bodies), then
    the status (409), then the role (403), and only then the body (400).
    ``read_body(case)`` validates the request against the locked case and
    returns the service's keyword arguments. ``cases`` is the scoped
    queryset to lock from, when the caller answers from the same row.

    Refusals pass through for the caller to answer: Case.DoesNotExist (404),
    ActionForbidden (403), TransitionNotAllowed (409), ValidationError (400).
    Their audit row is written after the rollback, so it is kept.
    """
    try:
        with transaction.atomic():
            case = action.lock(case_id=case_id, actor=user, cases=cases)
            case = action.run(case_id=case_id, by=user, locked=case, **read_body(case))
            _audit(action, user, request, outcome="ok", case_id=case_id, status=case.status)
    except Case.DoesNotExist:
        _audit(action, user, request, outcome="not_found", case_id=case_id)
        raise
    except ActionForbidden:
        _audit(action, user, request, outcome="forbidden", case_id=case_id)
        raise
    except TransitionNotAllowed as refused:
        _audit(action, user, request, outcome="conflict", case_id=case_id, status=refused.status)
        raise
    except (ValidationError, BodyInvalid):
        _audit(action, user, request, outcome="invalid", case_id=case_id)
        raise
    return case


def _audit(action: CaseAction, user, request, *, outcome: str, case_id: int, status: str = "") -> None:
    audit_log(
        action=f"case_{action.name.replace('-', '_')}",
        user=user,
        request=request,
        outcome=outcome,
        obj=Case(pk=case_id),  # only its label and id are written
        detail={"status": status} if status else {},
    )
