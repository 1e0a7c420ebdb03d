"""Retention: inactive records past their city's period lose their personal data; their history stays."""

import datetime

import pytest
from django.conf import settings

from accounts.models import CitySettings
from core.testing.factories import CaseFactory, DiaryEntryFactory, HouseholdFactory, VisitFactory
from households.models import Household, RecordStatus
from households.tasks import anonymize_inactive, years_before

pytestmark = pytest.mark.django_db
NOW = "2026-11-25T03:00:00+08:00"


def _inactive(cast, since: datetime.date, **fields) -> Household:
    return HouseholdFactory(station=cast.village, status=RecordStatus.MOVED, inactive_since=since, notes="独居",
                            contact="王某", **fields)  # fmt: skip


def test_records_past_the_period_are_cleared_with_their_visits_and_cases(cast, clock):
    clock.move_to(NOW)
    old = _inactive(cast, datetime.date(2023, 11, 24), name="王秀英", phone="13812345678")
    recent = _inactive(cast, datetime.date(2023, 11, 25), name="李四")
    active = HouseholdFactory(station=cast.village, name="赵六", inactive_since=None)
    firm = _inactive(cast, datetime.date(2020, 1, 1), name="清溪纺织", kind="enterprise")
    entry = DiaryEntryFactory(officer=cast.officer, station=cast.village, content="走访")
    visit = VisitFactory(entry=entry, name="王秀英", phone="13812345678", address="三组12号", household=old)
    other_visit = VisitFactory(entry=entry, name="李四", household=recent)
    case = CaseFactory(cast=cast, household=old, reporter_name="王秀英", reporter_phone="13812345678")

    assert anonymize_inactive() == 2
    old.refresh_from_db()
    assert (old.name, old.address, old.phone, old.notes, old.contact) == ("匿名", "", "", "", "")
    assert old.anonymized_at is not None and old.status == RecordStatus.MOVED
    firm.refresh_from_db()
    assert firm.name == "已注销"
    visit.refresh_from_db()
    assert (visit.name, visit.phone, visit.address) == ("匿名", "", "")
    case.refresh_from_db()
    assert (case.reporter_name, case.reporter_phone) == ("", "")
    for kept, name in ((recent, "李四"), (active, "赵六")):
        kept.refresh_from_db()
        assert kept.name == name and kept.anonymized_at is None
    other_visit.refresh_from_db()
    assert other_visit.name == "李四"
    # Twice changes nothing more.
    assert anonymize_inactive(cast.city.pk) == 0


def test_the_city_chooses_its_period(cast, clock):
    clock.move_to(NOW)
    CitySettings.objects.update_or_create(city=cast.city, defaults={"ledger_retention_years": 1})
    record = _inactive(cast, datetime.date(2025, 11, 1), name="王秀英")
    assert anonymize_inactive(cast.city.pk) == 1
    record.refresh_from_db()
    assert record.name == "匿名"


def test_a_leap_day_and_the_beat_schedule():
    assert years_before(datetime.date(2028, 2, 29), 3) == datetime.date(2025, 2, 28)
    assert settings.CELERY_BEAT_SCHEDULE["ledger-retention"]["task"] == "households.anonymize_inactive"
