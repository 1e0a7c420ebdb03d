"""Two people acting on one case at once: exactly one succeeds, the rest are told it changed (PostgreSQL, real threads)."""

import threading

import pytest
from django.db import connection

from cases import services
from cases.models import CaseEvent, Dispatch
from cases.transitions import TransitionNotAllowed
from core.testing.factories import RaisedCaseFactory

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 20


def race(action) -> dict[str, int]:
    """Run ``action`` in THREADS threads released together; each has its own database connection."""
    start = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run():
        try:
            start.wait()
            action()
            result = "ok"
        except TransitionNotAllowed:
            result = "conflict"
        except Exception as exc:  # anything else is a bug the assertion below shows
            result = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {k: outcomes.count(k) for k in set(outcomes)}


def test_twenty_desks_dispatching_at_once_make_one_dispatch(cast):
    case = RaisedCaseFactory(cast=cast)
    outcomes = race(lambda: services.case_dispatch(case_id=case.pk, by=cast.township_staff, unit=cast.office))
    assert outcomes == {"ok": 1, "conflict": THREADS - 1}
    assert Dispatch.objects.filter(case=case).count() == 1
    assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 1
    case.refresh_from_db()
    assert case.status == "pending_sign"


def test_twenty_handlers_signing_at_once_sign_once(cast):
    case = RaisedCaseFactory(cast=cast, stage="dispatched")
    outcomes = race(lambda: services.case_sign(case_id=case.pk, by=cast.office_handler))
    assert outcomes == {"ok": 1, "conflict": THREADS - 1}
    assert CaseEvent.objects.filter(case=case, action="sign").count() == 1
    assert [e.to_status for e in CaseEvent.objects.filter(case=case)] == ["pending_dispatch", "pending_sign",
                                                                          "in_progress"]  # fmt: skip
