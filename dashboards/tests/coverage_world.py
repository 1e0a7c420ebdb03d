"""A small ledger for the coverage figures, worked out by hand (see ``ledger``'s comments).

Today is Fri 20 November 2026 (NOW). Township A (cast.village): h1 key/30 visited 11-10 (on time),
h2 key/30 visited 10-01 only (overdue), h3 never visited, h4 visited 11-18, h5 visited 11-12 and
moved away on 11-15, h6 created 11-19. Township B (cast.village_b): b1 key/7 visited 11-16, b2
visited 11-05 and 11-06 (one record, two visits).
"""

import datetime

import pytest

from core.testing.factories import DiaryEntryFactory, HouseholdFactory, VisitFactory
from core.testing.moments import at
from households.models import RecordStatus
from households.services import visits_recorded

NOW = at(11, 20, 10)
D = datetime.date


def _visit(officer, record, day: datetime.date) -> None:
    entry = DiaryEntryFactory(officer=officer, station=record.station, visit_date=day, household_visits=1)
    VisitFactory(entry=entry, household=record, name=record.name)


@pytest.fixture
def ledger(cast):
    made = at(1, 5)
    a, b = cast.village, cast.village_b
    rec = {
        "h1": HouseholdFactory(station=a, name="甲一", address="东溪村1号", interval_days=30, created_at=made),
        "h2": HouseholdFactory(station=a, name="甲二", address="东溪村2号", interval_days=30, created_at=made,
                               next_visit_due=D(2026, 1, 5)),
        "h3": HouseholdFactory(station=a, name="甲三", address="东溪村3号", created_at=made),
        "h4": HouseholdFactory(station=a, name="甲四", address="东溪村4号", created_at=made),
        "h5": HouseholdFactory(station=a, name="甲五", address="东溪村5号", created_at=made),
        "h6": HouseholdFactory(station=a, name="甲六", address="东溪村6号", created_at=at(11, 19)),
        "b1": HouseholdFactory(station=b, name="乙一", address="西山村1号", interval_days=7, created_at=made,
                               next_visit_due=D(2026, 1, 5)),
        "b2": HouseholdFactory(station=b, name="乙二", address="西山村2号", created_at=made),
    }  # fmt: skip
    visits = [("h2", D(2026, 10, 1)), ("b2", D(2026, 11, 5)), ("b2", D(2026, 11, 6)), ("h1", D(2026, 11, 10)),
              ("h5", D(2026, 11, 12)), ("b1", D(2026, 11, 16)), ("h4", D(2026, 11, 18))]  # fmt: skip
    for name, day in visits:
        record = rec[name]
        _visit(cast.officer if record.station_id == a.pk else cast.officer_b, record, day)
        visits_recorded([record.pk], on=day)
    h5 = rec["h5"]
    h5.status, h5.inactive_since, h5.next_visit_due = RecordStatus.MOVED, D(2026, 11, 15), None
    h5.save(update_fields=["status", "inactive_since", "next_visit_due"])
    for record in rec.values():
        record.refresh_from_db()
    return rec
