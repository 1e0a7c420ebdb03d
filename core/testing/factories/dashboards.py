"""Factories of what the dashboards store: roll-up rows, hotspots and exports."""

import datetime

import factory
from django.utils import timezone

from accounts.roles import Role
from core.testing.factories.accounts import CityFactory, TownshipFactory, UserFactory, VillageFactory
from core.testing.factories.base import ModelFactory, from_cast
from core.testing.factories.cases import CaseFactory, CategoryFactory
from dashboards.models import (
    CaseGrain,
    CaseStatDay,
    CoverageDay,
    DetectionRun,
    DiaryGrain,
    DiaryStatDay,
    Export,
    Hotspot,
    HotspotCase,
    MonthlyReportSnapshot,
    OfficerMonth,
    RolledDay,
    RollupRun,
    TownshipBoundary,
)


class RolledDayFactory(ModelFactory):
    class Meta:
        model = RolledDay
        django_get_or_create = ("day",)

    day = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    rolled_at = factory.LazyFunction(timezone.now)


class CoverageDayFactory(ModelFactory):
    """A station's coverage snapshot of one day; give the counters the test needs."""

    class Meta:
        model = CoverageDay

    day = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    station = factory.SubFactory(VillageFactory)
    township = factory.LazyAttribute(lambda o: o.station.township)
    city = factory.LazyAttribute(lambda o: o.station.city)
    households = 10
    key_households = 2
    key_on_time = 1
    visited_year = 6
    visited_month = 3


class RollupRunFactory(ModelFactory):
    class Meta:
        model = RollupRun

    started_at = factory.LazyFunction(timezone.now)
    finished_at = None
    days = factory.LazyFunction(list)


class CaseStatDayFactory(ModelFactory):
    """A township's case figures of one day (the coarsest grain); give the counters the test needs."""

    class Meta:
        model = CaseStatDay

    day = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    grain = CaseGrain.TOWNSHIP
    city = None
    township = None


class DiaryStatDayFactory(ModelFactory):
    class Meta:
        model = DiaryStatDay

    day = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))
    grain = DiaryGrain.TOWNSHIP
    city = None
    township = None
    diaries = 1


class OfficerMonthFactory(ModelFactory):
    class Meta:
        model = OfficerMonth

    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    officer = factory.SubFactory(UserFactory, roles=[Role.OFFICER])
    days = 1


class HotspotFactory(ModelFactory):
    """A hotspot (a surge, not a 常态问题) of the city (with ``cast=``, the cast's) over three townships."""

    class Meta:
        model = Hotspot

    class Params:
        cast = None

    city = from_cast("city", factory.SubFactory(CityFactory))
    category = factory.SubFactory(CategoryFactory)
    title = "道路坑洼"
    townships = 3
    residents = 3
    cases_count = 2
    score = 0.8
    baseline = 0.5
    surge_ratio = 4.0
    detected_at = factory.LazyFunction(timezone.now)
    first_seen = factory.LazyAttribute(lambda o: o.detected_at)


class DetectionRunFactory(ModelFactory):
    """A finished hotspot detection of the city (with ``cast=``, the cast's)."""

    class Meta:
        model = DetectionRun

    class Params:
        cast = None

    city = from_cast("city", factory.SubFactory(CityFactory))
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.LazyAttribute(lambda o: o.started_at + datetime.timedelta(seconds=2))
    hotspots = 1


class HotspotCaseFactory(ModelFactory):
    class Meta:
        model = HotspotCase

    hotspot = factory.SubFactory(HotspotFactory)
    case = factory.SubFactory(CaseFactory)
    similarity = 1.0


class ExportFactory(ModelFactory):
    """A prepared export; ``done`` gives it a file to download (under MEDIA_ROOT)."""

    class Meta:
        model = Export

    class Params:
        done = factory.Trait(
            status=Export.Status.DONE, rows=1, file=factory.django.FileField(filename="cases.xlsx", data=b"PK\x03\x04")
        )

    owner = factory.SubFactory(UserFactory)
    kind = "cases"


def square(lon: float, lat: float, half: float = 0.02) -> dict:
    """A closed square outline around (lon, lat): a plain Polygon for tests."""
    ring = [[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half]]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


class TownshipBoundaryFactory(ModelFactory):
    class Meta:
        model = TownshipBoundary

    township = factory.SubFactory(TownshipFactory)
    geojson = factory.Sequence(lambda n: square(120.8 + 0.05 * (n % 20), 29.6 + 0.05 * (n // 20)))


class MonthlyReportSnapshotFactory(ModelFactory):
    """A frozen monthly report of a city (its data is a stub: build real ones with dashboards.report.freeze)."""

    class Meta:
        model = MonthlyReportSnapshot

    area = factory.SubFactory(CityFactory)
    month = datetime.date(2026, 1, 1)
    data = factory.LazyFunction(lambda: {"figures": {}})
    generated_at = factory.LazyFunction(timezone.now)
