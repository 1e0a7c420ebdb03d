import io

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from accounts.models import OrgKind, OrgUnit, StationAssignment, User
from accounts.selectors import assignments_active_for, org_units_visible_to
from cases.models import Category, RoutingRule
from core.testing.twofactor import totp_code
from dashboards.models import DetectionRun
from demo.accounts import DEMO_ACCOUNTS
from tests.module_data import committed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One demo county for the module: it takes seconds to build, and the tests only read it."""
    with committed(django_db_blocker), override_settings(DEMO_PASSWORD="Demo-pass-2026", DEMO_HISTORY_DAYS=21):
        call_command("seed_demo", stdout=io.StringIO())
        yield


def test_demo_county_shape(seeded):
    city = OrgUnit.objects.get(kind=OrgKind.CITY)
    assert OrgUnit.objects.filter(kind=OrgKind.TOWNSHIP, city=city).count() >= 8
    assert OrgUnit.objects.filter(kind=OrgKind.PARK, city=city).exists()
    for kind in (OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.ENTERPRISE, OrgKind.DEPARTMENT, OrgKind.TOWNSHIP_OFFICE):
        assert OrgUnit.objects.filter(kind=kind).exists(), kind
    assert User.objects.filter(roles__role="officer").count() >= 100
    assert Category.objects.filter(parent__isnull=True).count() == 9
    assert RoutingRule.objects.filter(level="city").exists() and RoutingRule.objects.filter(auto_dispatch=True).exists()
    assert OrgUnit.objects.filter(partner_links__isnull=False).exists()


def test_seed_demo_ends_with_a_hotspot_detection(seeded):
    # The same service as the nightly task: the hotspot page of a fresh demo says when it ran.
    city = OrgUnit.objects.get(kind=OrgKind.CITY)
    assert DetectionRun.objects.filter(city=city, finished_at__isnull=False).exists()


def test_seed_demo_project_is_followed_through(seeded):
    from cases.models import Project

    project = Project.objects.filter(lead_unit__isnull=False).first()
    if project is None:  # no hotspot in the three weeks of history the test seeds
        assert not DetectionRun.objects.filter(hotspots__gt=0).exists()
        return
    milestones = list(project.milestones.order_by("order"))
    assert len(milestones) == 2 and milestones[0].done_on and not milestones[1].done_on
    assert project.budget > project.spent > 0 and project.cases.exists()


def test_seed_demo_is_idempotent(seeded):
    counts = (
        OrgUnit.objects.count(),
        User.objects.count(),
        StationAssignment.objects.count(),
        RoutingRule.objects.count(),
    )
    with override_settings(DEMO_PASSWORD="Demo-pass-2026", DEMO_HISTORY_DAYS=21):
        call_command("seed_demo", stdout=io.StringIO())
    assert counts == (
        OrgUnit.objects.count(),
        User.objects.count(),
        StationAssignment.objects.count(),
        RoutingRule.objects.count(),
    )


def test_every_demo_account_signs_in_and_sees_only_its_scope(seeded, client):
    for username in DEMO_ACCOUNTS:
        assert client.login(username=username, password="Demo-pass-2026"), username
        if twofactor.required(User.objects.get(username=username)):
            # admin and city_office enrol a second factor at their first sign-in (README, demo logins).
            assert client.get("/")["Location"] == "/accounts/2fa/setup/?next=%2F", username
            assert client.get("/accounts/2fa/setup/").status_code == 200
            device = TOTPDevice.objects.get(user__username=username, confirmed=False)
            assert client.post("/accounts/2fa/setup/", {"code": totp_code(device)}).status_code == 200
        assert client.get("/").status_code == 200, username
        client.logout()
    staff, staff_2 = User.objects.get(username="township_staff"), User.objects.get(username="township_staff_2")
    first = set(org_units_visible_to(staff).filter(kind=OrgKind.VILLAGE).values_list("pk", flat=True))
    second = set(org_units_visible_to(staff_2).filter(kind=OrgKind.VILLAGE).values_list("pk", flat=True))
    assert first and second and not first & second
    for username in ("officer_village", "officer_community", "officer_enterprise", "officer_village_2"):
        assert assignments_active_for(User.objects.get(username=username)).exists(), username


def test_demo_history_goes_round_the_loops(seeded):
    from cases.models import Case
    from diaries.models import DiaryEntry

    assert DiaryEntry.objects.count() > 50
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"closed", "pending_dispatch", "pending_sign"} <= statuses
    assert Case.objects.filter(level="onsite").exists() and Case.objects.filter(level="township").exists()
    # 反映必反馈 holds in the demo too; only a request the desk marked 无效 (a duplicate) closes unanswered.
    assert not Case.objects.filter(status="closed", feedbacks__isnull=True, invalid=False).exists()


def test_demo_townships_have_outlines_and_visits_fall_inside(seeded):
    from dashboards.geo import contains
    from dashboards.models import TownshipBoundary
    from diaries.models import DiaryEntry

    city = OrgUnit.objects.get(kind=OrgKind.CITY)
    townships = OrgUnit.objects.filter(city=city, kind__in=(OrgKind.TOWNSHIP, OrgKind.PARK))
    outlines = {b.township_id: b.geojson for b in TownshipBoundary.objects.filter(township__in=townships)}
    assert set(outlines) == set(townships.values_list("pk", flat=True))
    located = DiaryEntry.objects.filter(city=city, latitude__isnull=False)
    assert located.count() > DiaryEntry.objects.filter(city=city).count() // 2
    for entry in located:
        assert contains(outlines[entry.township_id], float(entry.longitude), float(entry.latitude))


def test_demo_ledgers_have_the_stated_shape(seeded):
    from django.db.models import F, Max, Min

    from diaries.models import Visit
    from households import schedule
    from households.models import HandoverNote, Household
    from households.validators import validate_credit_code

    active = Household.objects.filter(status="active", station__kind__in=[OrgKind.VILLAGE, OrgKind.COMMUNITY])
    for station in OrgUnit.objects.filter(kind__in=[OrgKind.VILLAGE, OrgKind.COMMUNITY])[:5]:
        assert 200 <= station.households.filter(kind="household").count() <= 400
    total = active.count()
    key = active.filter(interval_days__isnull=False).count()
    visited = active.filter(last_visit_on__isnull=False).count()
    assert 0.10 <= key / total <= 0.20
    assert 0.60 <= visited / total <= 0.90
    assert Household.objects.exclude(status="active").exists() and HandoverNote.objects.exists()
    for code in Household.objects.filter(kind="enterprise").values_list("credit_code", flat=True)[:300]:
        validate_credit_code(code)
    # Stored schedule fields agree with households.schedule and with the linked visits.
    rows = Household.objects.annotate(shortest=Min("tags__interval_days"), seen=Max("visits__entry__visit_date"))
    for record in rows:
        assert record.interval_days == record.shortest
        assert record.last_visit_on == record.seen
        expected = schedule.next_due(
            interval_days=record.interval_days, last_visit_on=record.seen, key_since=record.created_at.date()
        )
        assert record.next_visit_due == (expected if record.status == "active" else None)
    # Visits link records of their own station; diary cases carry the record their diary met.
    assert not Visit.objects.filter(household__isnull=False).exclude(household__station=F("entry__station")).exists()
    assert not Visit.objects.filter(kind="household", household__isnull=True).exists()
    from cases.models import Case

    linked = Case.objects.filter(household__isnull=False)
    assert linked.exists() and not linked.exclude(household__station=F("station")).exists()


def test_demo_ledgers_are_not_seeded_twice(seeded):
    from diaries.models import DiaryEntry
    from households.models import Household

    counts = (Household.objects.count(), DiaryEntry.objects.count())
    with override_settings(DEMO_PASSWORD="Demo-pass-2026", DEMO_HISTORY_DAYS=21):
        call_command("seed_demo", stdout=io.StringIO())
    assert counts == (Household.objects.count(), DiaryEntry.objects.count())


def test_the_demo_password_is_hashed_once_for_every_account(seeded):
    # The production hasher takes ~0.25 s a hash on purpose: one each for ~80 accounts was 18 s of `make run`'s seed.
    demo = User.objects.filter(
        Q(username__in=list(DEMO_ACCOUNTS)) | Q(username__endswith="_desk") | Q(username__endswith="_handler")
    )
    assert demo.count() > len(DEMO_ACCOUNTS)
    hashes = set(demo.values_list("password", flat=True).distinct()[:3])
    assert len(hashes) == 1
