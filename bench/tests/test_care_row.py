"""The care-schedule bench row runs on any data and writes nothing (its transaction is rolled back)."""

import datetime

import pytest
from django.utils import timezone

from bench import workers
from core.testing.factories.households import HouseholdFactory
from households.models import Household
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_care_row_catches_up_then_counts_a_constant_and_leaves_nothing_behind(cast):
    record = HouseholdFactory(station=cast.village)
    overdue = timezone.localdate() - datetime.timedelta(days=5)
    Household.objects.filter(pk=record.pk).update(interval_days=30, next_visit_due=overdue)
    row = workers.care_sweep(runs=2)
    assert row.met and row.extra["key_records"] == 1 and "'overdue': " in row.notes
    assert not Notification.objects.filter(kind__startswith="household.care").exists()
