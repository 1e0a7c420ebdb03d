import datetime

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import OrgKind, OrgUnit, StationAssignment
from core.testing.factories import CityFactory, OrgUnitFactory, StationAssignmentFactory

pytestmark = pytest.mark.django_db


def test_units_know_their_city_and_township(cast):
    assert cast.city.city_id == cast.city.pk and cast.city.township_id is None
    assert cast.township.city_id == cast.city.pk and cast.township.township_id == cast.township.pk
    assert (cast.village.city_id, cast.village.township_id) == (cast.city.pk, cast.township.pk)
    assert (cast.department.city_id, cast.department.township_id) == (cast.city.pk, None)


def test_moving_a_unit_moves_its_subtree(cast):
    # A township moves to a second city: its villages follow.
    other_city = CityFactory(code="C2", name="剡源市")
    cast.township.parent = other_city
    services.org_unit_save(cast.township)
    cast.village.refresh_from_db()
    assert cast.village.city_id == other_city.pk
    assert cast.village.township_id == cast.township.pk


@pytest.mark.parametrize(
    ("kind", "parent_attr", "message"),
    [
        (OrgKind.VILLAGE, "city", "须隶属于镇街或园区"),
        (OrgKind.TOWNSHIP, "township", "须直属于市"),
        (OrgKind.VILLAGE, None, "可以没有上级"),
    ],
)
def test_misplaced_units_are_refused(cast, kind, parent_attr, message):
    parent = getattr(cast, parent_attr) if parent_attr else None
    with pytest.raises(ValidationError) as err:
        services.org_unit_save(OrgUnit(code="X1", name="x", kind=kind, parent=parent))
    assert message in str(err.value)
    assert not OrgUnit.objects.filter(code="X1").exists()


def test_unit_cannot_go_under_its_own_descendant(cast):
    cast.township.parent = cast.village
    with pytest.raises(ValidationError):
        services.org_unit_validate(kind=OrgKind.OTHER, parent=cast.village, instance=cast.township)


def test_assignment_kind_comes_from_the_station(cast):
    assignment = StationAssignmentFactory(cast=cast, station=cast.enterprise)
    assert assignment.kind == "enterprise"


def test_an_officer_may_serve_several_enterprises(cast):
    second = OrgUnitFactory(code="T1E2", name="清溪机电有限公司", kind=OrgKind.ENTERPRISE, parent=cast.township)
    StationAssignmentFactory(cast=cast, station=cast.enterprise)
    StationAssignmentFactory(cast=cast, station=second)
    assert cast.officer.assignments.filter(kind="enterprise").count() == 2


def test_overlapping_assignment_is_refused_with_a_clear_message(cast):
    with pytest.raises(ValidationError) as err:
        StationAssignmentFactory(cast=cast, station=cast.village, start=datetime.date(2026, 3, 1))
    assert "时间段重叠" in str(err.value)
    assert StationAssignment.objects.filter(officer=cast.officer, station=cast.village).count() == 1


def test_a_later_period_after_an_ended_one_is_fine(cast):
    first = cast.officer.assignments.get()
    first.end = datetime.date(2026, 2, 1)
    services.assignment_save(first)
    StationAssignmentFactory(cast=cast, station=cast.village, start=datetime.date(2026, 2, 2))
    with pytest.raises(ValidationError):
        StationAssignmentFactory(cast=cast, station=cast.village, start=datetime.date(2025, 12, 1))


def test_station_must_be_village_community_or_enterprise(cast):
    with pytest.raises(ValidationError) as err:
        StationAssignmentFactory(cast=cast, station=cast.office)
    assert "station" in err.value.message_dict


def test_end_before_start_is_refused(cast):
    with pytest.raises(ValidationError):
        services.assignment_save(
            StationAssignment(
                officer=cast.officer,
                station=cast.community,
                dispatching_unit=cast.department,
                start=datetime.date(2026, 5, 1),
                end=datetime.date(2026, 4, 1),
            )
        )


def test_roles_are_replaced_not_added(cast):
    services.user_set_roles(user=cast.officer, roles=["officer", "leader"])
    services.user_set_roles(user=cast.officer, roles=["leader"])
    assert set(cast.officer.roles.values_list("role", flat=True)) == {"leader"}
