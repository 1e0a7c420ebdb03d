"""A figure and the list it stands for see the same cases: the stats answer and the case list
of an officer and of a unit handler count the same rows (both come from cases.selectors)."""

import datetime

import pytest
from django.utils import timezone

from cases.choices import Status
from core.testing.factories import CaseFactory, DispatchFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def spread(cast):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    # Raised by another officer at the cast officer's own station: theirs to see and to count.
    CaseFactory(cast=cast, raised=now - 3 * day, station=cast.village, officer=cast.officer_b, title="同村他人所报")
    CaseFactory(cast=cast, raised=now - 3 * day, station=cast.village, officer=cast.officer, title="本人所报")
    # Returned by the township office, then sent on to the department: the office saw it, still sees it.
    passed_on = CaseFactory(cast=cast, raised=now - 4 * day, status=Status.PENDING_SIGN, unit=cast.department,
                            title="退回后改派")  # fmt: skip
    DispatchFactory(case=passed_on, unit=cast.office, dispatched_at=now - 4 * day, returned_at=now - 3 * day)
    DispatchFactory(case=passed_on, unit=cast.department, dispatched_at=now - 2 * day)
    held = CaseFactory(cast=cast, raised=now - 2 * day, status=Status.PENDING_SIGN, unit=cast.office, title="在办")
    DispatchFactory(case=held, unit=cast.office, dispatched_at=now - 2 * day)
    return now


@pytest.mark.parametrize("who", ["officer", "office_handler"])
def test_the_stats_answer_counts_the_cases_the_list_shows(api, cast, spread, who):
    client = api.as_user(getattr(cast, who))
    period = {"date_from": (timezone.localdate() - datetime.timedelta(days=10)).isoformat()}
    listed = client.get("/api/v1/cases/", period).json()["count"]
    figures = client.get("/api/v1/stats/overview/", period).json()
    assert figures["raised"] == listed == 2


def test_a_unit_counts_its_own_dispatches_only(api, cast, spread):
    """A case it returned went on to the department: the department's sign-for is not the office's response."""
    figures = api.as_user(cast.office_handler).get("/api/v1/stats/overview/").json()
    assert figures["dispatches"] == 2 and figures["returned"] == 1
