"""The hand-computed October of the score tests (test_scores), reused by the appeal and award tests."""

import datetime

from cases.choices import Satisfaction, Status
from core.testing.factories import (
    CallbackFactory,
    CaseFactory,
    DispatchFactory,
    HoldFactory,
    SupervisionOrderFactory,
    UnreasonableFactory,
)
from core.testing.moments import MONDAY, at

SAT, BASIC, UNSAT = Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.UNSATISFIED


def handled(cast, unit, day, *, township=None, signed_late=False, replied_late=False, callback=None, status=None):
    """A case raised on October ``day``, sent to ``unit`` the same morning: signed for (by the next
    morning, or a day late), answered (before the handle deadline of the 20th, or after it)."""
    case = CaseFactory(cast=cast, raised=at(10, day, 8), status=status or Status.CLOSED, unit=unit,
                       township=township or cast.township)  # fmt: skip
    replied = None if status else at(10, 22 if replied_late else day + 2)
    DispatchFactory(case=case, unit=unit, dispatched_at=at(10, day, 10), sign_due=at(10, day + 1, 10),
                    signed_at=at(10, day + (2 if signed_late else 0), 11), handle_due=at(10, 20, 18),
                    replied_at=replied, approved_at=replied and replied + datetime.timedelta(hours=1))  # fmt: skip
    if callback:
        CallbackFactory(case=case, at=at(10, 25), reached=True, solved=True, satisfaction=callback)
    return case


def build_october(cast, clock):
    """October 2026, read on Monday 23 November.

    The department (城建局-like city unit, township A's cases unless said):
      d1 on time, signed in time, satisfied; an overdue 督办单 due 19 October        → −2
      d2 signed a day late, answered late, basically satisfied
      d3 on time, signed in time, unsatisfied
      d4 signed late, then put on hold (挂账): left out, and so is its overdue order
      d5 (township B) on time, signed in time, no callback
      d6 signed late, answered late, unsatisfied, an overdue order — found unreasonable (不合理诉求) by the city
         office: left out like d4; a refused claim (on d3) changes nothing
    Township B's office:
      o1 returned in time on 5 October, sent back to it on the 6th (退单不当)        → −1
         then signed in time, answered on time, satisfied
      o2 signed in time, answered late, satisfied
      o3 signed in time, answered late, no callback
    """
    clock.move_to(MONDAY)
    dept, office_b = cast.department, cast.office_b
    d1 = handled(cast, dept, 2, callback=SAT)
    d2 = handled(cast, dept, 3, signed_late=True, replied_late=True, callback=BASIC)
    d3 = handled(cast, dept, 4, callback=UNSAT)
    UnreasonableFactory(case=d3, refused=True, requested_at=at(10, 10))
    d6 = handled(cast, dept, 5, signed_late=True, replied_late=True, callback=UNSAT)
    UnreasonableFactory(case=d6, approved=True, requested_at=at(10, 26))
    SupervisionOrderFactory(case=d6, unit=dept, issued_at=at(10, 12), reply_by=datetime.date(2026, 10, 19),
                            overdue=True)  # fmt: skip
    d4 = handled(cast, dept, 6, signed_late=True, status=Status.IN_PROGRESS)
    HoldFactory(case=d4, approved=True, requested_at=at(10, 15))
    handled(cast, dept, 7, township=cast.township_b)
    SupervisionOrderFactory(case=d1, unit=dept, issued_at=at(10, 12), reply_by=datetime.date(2026, 10, 19),
                            overdue=True)  # fmt: skip
    SupervisionOrderFactory(case=d4, unit=dept, issued_at=at(10, 12), reply_by=datetime.date(2026, 10, 19),
                            overdue=True)  # fmt: skip
    # Not counted: answered in time, and overdue only in November.
    SupervisionOrderFactory(case=d2, unit=dept, issued_at=at(10, 12), reply_by=datetime.date(2026, 10, 19))
    SupervisionOrderFactory(case=d2, unit=dept, issued_at=at(10, 28), reply_by=datetime.date(2026, 11, 4),
                            overdue=True)  # fmt: skip

    o1 = CaseFactory(cast=cast, raised=at(10, 5, 8), status=Status.CLOSED, unit=office_b, township=cast.township_b)
    DispatchFactory(case=o1, unit=office_b, dispatched_at=at(10, 5, 9), sign_due=at(10, 6, 9),
                    handle_due=at(10, 20, 18), returned_at=at(10, 5, 15))  # fmt: skip
    DispatchFactory(case=o1, unit=office_b, dispatched_at=at(10, 6, 9), sign_due=at(10, 7, 9), signed_at=at(10, 6, 10),
                    handle_due=at(10, 20, 18), replied_at=at(10, 9), approved_at=at(10, 9, 11))  # fmt: skip
    CallbackFactory(case=o1, at=at(10, 25), reached=True, solved=True, satisfaction=SAT)
    handled(cast, office_b, 8, township=cast.township_b, replied_late=True, callback=SAT)
    handled(cast, office_b, 9, township=cast.township_b, replied_late=True)
    return cast


def by_label(rows) -> dict:
    return {r["unit"]["label"]: r for r in rows}
