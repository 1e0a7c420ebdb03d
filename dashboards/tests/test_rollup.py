"""The nightly roll-up: yesterday, plus the earlier days that work since the last run has changed."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.choices import Status
from core.testing.factories import CaseEventFactory, CaseFactory
from dashboards.models import CaseGrain, CaseStatDay, RolledDay, RollupRun
from dashboards.services.rollup import rollup_nightly
from dashboards.tasks import rollup_yesterday

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def test_first_run_rolls_up_yesterday(cast, cats):
    now = timezone.now()
    assert rollup_nightly(now=now) == [timezone.localdate(now) - datetime.timedelta(days=1)]
    assert RollupRun.objects.get().finished_at is not None


def test_a_case_closed_today_refreshes_the_day_it_was_raised(cast, cats):
    now = timezone.now()
    ten_days_ago = now - datetime.timedelta(days=10)
    case = CaseFactory(cast=cast, category=cats["infra.road"], raised=ten_days_ago)
    rollup_nightly(now=now - datetime.timedelta(hours=1))
    call_command("rollup_stats", days=12)
    day = timezone.localdate(ten_days_ago)
    row = CaseStatDay.objects.get(day=day, grain=CaseGrain.TOWNSHIP)
    assert (row.raised, row.closed) == (1, 0)
    # Closed since the last run: the timeline event marks the case as changed.
    case.status = Status.CLOSED
    case.save()
    CaseEventFactory(case=case, action="callback", actor=cast.township_staff, from_status="pending_callback",
                     to_status="closed", level="", unit=None, created_at=now)  # fmt: skip
    days = rollup_nightly(now=now + datetime.timedelta(minutes=1))
    assert day in days
    assert CaseStatDay.objects.get(day=day, grain=CaseGrain.TOWNSHIP).closed == 1


def test_task_by_name(cast):
    assert rollup_yesterday.name == "dashboards.tasks.rollup_yesterday"
    assert rollup_yesterday.run() == [(timezone.localdate() - datetime.timedelta(days=1)).isoformat()]


def test_command(cast, cats, capsys):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    call_command("rollup_stats", date=yesterday)
    assert RolledDay.objects.filter(day=yesterday).exists()
    call_command("rollup_stats", days=3)
    assert RolledDay.objects.count() == 3
    assert "Rolled up 3 day(s)" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("rollup_stats", date=timezone.localdate())
    with pytest.raises(CommandError):
        call_command("rollup_stats", days=0)
