"""The one way tests take a case through its lifecycle.

Each stage is one service call, made by the member of the standing cast who
makes it in real life (the township desk dispatches, the office handler signs
and replies …), from the stage it comes after. ``RaisedCaseFactory`` walks
the table after raising a case, and the access-matrix world walks the same
table, so a stage means the same thing in every test.
"""

from collections.abc import Callable
from dataclasses import dataclass

from cases import services
from cases.choices import Status
from cases.models import Case


@dataclass(frozen=True)
class Stage:
    after: str | None
    # (case, cast, **overrides of the service's arguments) → the case as the service leaves it
    take: Callable[..., Case]


def _raised(case, cast):
    return case  # raising is the factory's own work: its fields are the factory's


def _dispatched(case, cast, **kw):
    return services.case_dispatch(case_id=case.pk, **{"by": cast.township_staff, "unit": cast.office, **kw})


def _signed(case, cast, **kw):
    return services.case_sign(case_id=case.pk, **{"by": cast.office_handler, **kw})


def _extension_pending(case, cast, **kw):
    answer = {"by": cast.office_handler, "days": 2, "reason": "材料未到", **kw}
    return services.case_extension_request(case_id=case.pk, **answer)


def _replied(case, cast, **kw):
    answer = {"by": cast.office_handler, "result": "已修补路面", "outcome": "solved", **kw}
    return services.case_reply(case_id=case.pk, **answer)


def _approved(case, cast, **kw):
    return services.case_review(case_id=case.pk, **{"by": cast.township_staff, "approve": True, **kw})


def _fed_back(case, cast, **kw):
    answer = {"by": cast.officer, "channel": "visit", "content": "已修好", **kw}
    return services.case_feedback(case_id=case.pk, **answer)


def _closed(case, cast, **kw):
    answer = {"by": cast.township_staff, "reached": True, "solved": True, "satisfaction": "satisfied", **kw}
    return services.case_callback(case_id=case.pk, **answer)


def _closed_unhappy(case, cast, **kw):
    return _closed(case, cast, **{"solved": False, "satisfaction": "unsatisfied", **kw})


def _escalated(case, cast, **kw):
    return services.case_escalate(case_id=case.pk, **{"by": cast.township_staff, "reason": "需市级部门协调", **kw})


def _city_dispatched(case, cast, **kw):
    return services.case_dispatch(case_id=case.pk, **{"by": cast.city_office, "unit": cast.department, **kw})


def _review_on(kw: dict):
    """A review date a month after the step's moment (the service wants one after today)."""
    import datetime

    from django.utils import timezone

    return timezone.localdate(kw.get("now")) + datetime.timedelta(days=30)


def _hold_pending(case, cast, **kw):
    answer = {"by": cast.township_staff, "reason": "纳入明年道路拓宽计划", "review_on": _review_on(kw), **kw}
    return services.case_hold_request(case_id=case.pk, **answer)


def _held(case, cast, **kw):
    return services.case_hold_decide(case_id=case.pk, **{"by": cast.city_office, "approve": True, **kw})


def _unreasonable_pending(case, cast, **kw):
    answer = {"by": cast.township_staff, "reason": "要求政府承担私人房屋装修费用", **kw}
    return services.case_unreasonable_request(case_id=case.pk, **answer)


STAGES: dict[str, Stage] = {
    "raised": Stage(None, _raised),
    "dispatched": Stage("raised", _dispatched),
    "signed": Stage("dispatched", _signed),
    "extension_pending": Stage("signed", _extension_pending),
    "replied": Stage("signed", _replied),
    "approved": Stage("replied", _approved),
    "fed_back": Stage("approved", _fed_back),
    "closed": Stage("fed_back", _closed),
    "closed_unhappy": Stage("fed_back", _closed_unhappy),
    "escalated": Stage("raised", _escalated),
    "city_dispatched": Stage("escalated", _city_dispatched),
    # 挂账 while the unit handles it: asked by the township desk, approved by the city office.
    "hold_pending": Stage("signed", _hold_pending),
    "held": Stage("hold_pending", _held),
    # 不合理诉求 marked by the township desk while the unit handles it, waiting for the city office.
    "unreasonable_pending": Stage("signed", _unreasonable_pending),
}

# The stage that leaves a township case in each status. A closed case is closed unhappy:
# that close can still be redone, so every action has a case to start from.
STAGE_OF_STATUS = {
    Status.PENDING_DISPATCH: "raised",
    Status.PENDING_SIGN: "dispatched",
    Status.IN_PROGRESS: "signed",
    Status.PENDING_REVIEW: "replied",
    Status.PENDING_FEEDBACK: "approved",
    Status.PENDING_CALLBACK: "fed_back",
    Status.CLOSED: "closed_unhappy",
}


def _line(stage: str) -> list[str]:
    """The stages from raised up to ``stage``, in order."""
    line = []
    while stage is not None:
        line.append(stage)
        stage = STAGES[stage].after
    return line[::-1]


def step(case: Case, stage: str, cast, **overrides) -> Case:
    """The one service call that ends at ``stage``, whatever stage the case is at (as ``redo`` needs)."""
    return STAGES[stage].take(case, cast, **overrides)


def walk(case: Case, stage: str, cast, *, since: str = "raised", **overrides) -> Case:
    """Every step after ``since`` up to ``stage``; ``overrides`` go to the last one.

    From a stage off the way (``extension_pending`` on the way to ``replied``) the
    walk goes on from where the two ways part, as the services allow.
    """
    done = set(_line(since))
    todo = [name for name in _line(stage) if name not in done]
    for name in todo:
        case = step(case, name, cast, **(overrides if name == todo[-1] else {}))
    return case
