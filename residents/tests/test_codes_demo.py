"""The demo's residents' channel: every station has its 民情码, and the history has residents' requests rated
by the residents at believable rates, a few unsatisfied and a few invalid."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import STATION_KINDS, OrgUnit
from cases.models import Callback, Case
from residents.models import ResidentRequest, StationCode
from tests.module_data import committed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    out = io.StringIO()
    with committed(django_db_blocker), override_settings(DEMO_PASSWORD="Demo-pass-2026", DEMO_HISTORY_DAYS=5):
        call_command("seed_demo", stdout=out)
        yield out.getvalue()


def test_every_station_has_a_code_and_a_url_is_printed(seeded):
    stations = OrgUnit.objects.filter(kind__in=STATION_KINDS)
    assert StationCode.objects.count() == stations.count() > 0
    line = next(line for line in seeded.splitlines() if line.startswith("Resident URL: "))
    token = line.split("/r/")[1].strip("/")
    assert StationCode.objects.filter(token=token).exists()


def test_residents_requests_and_self_ratings_at_believable_rates(seeded):
    requests = ResidentRequest.objects.select_related("case")
    assert requests.count() >= 40
    assert all(r.case.source == "resident" and r.case.reporter_phone.endswith(r.phone_tail) for r in requests)
    rated = Callback.objects.filter(case__source="resident", channel="self", closes=True)
    assert rated.exists() and not rated.exclude(by=None).exists()
    satisfied = rated.filter(satisfaction__in=["satisfied", "basically_satisfied"]).count()
    assert 0.85 <= satisfied / rated.count() <= 0.95
    assert rated.filter(satisfaction="unsatisfied").exists()  # a few for the redo queue
    invalid = Case.objects.filter(source="resident", invalid=True)
    assert 1 <= invalid.count() <= requests.count() * 0.1
    assert not invalid.exclude(status="closed").exists()
