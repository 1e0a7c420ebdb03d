"""The ledger's core writes: who may keep a station's ledger, tags set the schedule, visits move it."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from households.models import Household, HouseholdTag
from households.selectors import households_visible_to
from households.services import household_create, household_update, visits_recorded

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 2)


def test_a_key_record_is_due_at_once_and_a_visit_moves_its_next_due(cast):
    record = household_create(
        by=cast.officer, station=cast.village, name="王秀英", address="三组12号", tags=["独居老人"]
    )
    assert record.interval_days == 30 and record.next_visit_due is not None
    visits_recorded([record.pk], on=DAY)
    record.refresh_from_db()
    assert (record.last_visit_on, record.next_visit_due) == (DAY, DAY + datetime.timedelta(days=30))
    visits_recorded([record.pk], on=DAY - datetime.timedelta(days=5))  # an older entry never moves it back
    record.refresh_from_db()
    assert record.last_visit_on == DAY


def test_the_shortest_tag_interval_wins_and_a_plain_record_has_no_schedule(cast):
    record = household_create(by=cast.officer, station=cast.village, name="李四", tags=["低保户", "信访重点户"])
    assert record.interval_days == 30
    record = household_update(by=cast.officer, record=record, tags=["退役军人"])
    assert (record.interval_days, record.next_visit_due) == (None, None)


def test_bad_input_is_refused_and_nothing_is_written(cast):
    with pytest.raises(ValidationError) as tag:
        household_create(by=cast.officer, station=cast.village, name="张三", tags=["不存在"])
    assert "不存在" in str(tag.value)
    with pytest.raises(ValidationError):
        household_create(
            by=cast.officer, station=cast.village, name="某公司", kind="enterprise", credit_code="91330000"
        )
    with pytest.raises(ValidationError):
        household_create(by=cast.officer_b, station=cast.village, name="张三")
    assert not Household.objects.exists() and HouseholdTag.objects.count() == 9


def test_officers_and_their_township_see_the_records_the_city_and_units_do_not(cast):
    household_create(by=cast.officer, station=cast.village, name="王秀英")
    seen = {u: households_visible_to(u).count() for u in (cast.officer, cast.township_staff, cast.admin)}
    assert set(seen.values()) == {1}
    assert [
        households_visible_to(u).count() for u in (cast.city_office, cast.office_handler, cast.township_staff_b)
    ] == [0, 0, 0]
