"""DOMAIN.md's scope table for organisation, people and assignments, role by role."""

import pytest

from accounts.selectors import assignments_visible_to, org_units_visible_to, users_visible_to
from core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def codes(qs):
    return set(qs.values_list("code", flat=True))


def usernames(qs):
    return set(qs.values_list("username", flat=True))


def test_admin_sees_everything(cast):
    assert codes(org_units_visible_to(cast.admin)) == {
        "C1",
        "T1",
        "T2",
        "D1",
        "D2",
        "T1V1",
        "T1M1",
        "T1E1",
        "T1O1",
        "T2V1",
        "T2O1",
    }
    assert len(usernames(users_visible_to(cast.admin))) == 10
    assert assignments_visible_to(cast.admin).count() == 2


@pytest.mark.parametrize("role", ["city_office", "leader"])
def test_city_roles_see_the_whole_city(cast, role):
    user = getattr(cast, role)
    assert "T2V1" in codes(org_units_visible_to(user)) and "T1V1" in codes(org_units_visible_to(user))
    assert {"officer", "officer_b", "township_staff_b"} <= usernames(users_visible_to(user))
    assert assignments_visible_to(user).count() == 2


@pytest.mark.parametrize("role", ["township_staff", "township_leader"])
def test_township_roles_see_their_township_and_the_city_level(cast, role):
    user = getattr(cast, role)
    assert codes(org_units_visible_to(user)) == {"C1", "D1", "D2", "T1", "T1V1", "T1M1", "T1E1", "T1O1"}
    seen = usernames(users_visible_to(user))
    # The officer stationed in the township is visible though their home unit is a department.
    assert {"officer", "township_staff", "office_handler", "township_leader"} <= seen
    assert not {"officer_b", "township_staff_b"} & seen
    assert [a.officer.username for a in assignments_visible_to(user)] == ["officer"]


def test_outsider_from_the_second_township_sees_none_of_the_first(cast):
    outsider = cast.township_staff_b
    assert not {"T1", "T1V1", "T1M1", "T1E1", "T1O1"} & codes(org_units_visible_to(outsider))
    assert "officer" not in usernames(users_visible_to(outsider))
    assert [a.officer.username for a in assignments_visible_to(outsider)] == ["officer_b"]


def test_officer_sees_own_stations_and_their_township(cast):
    assert codes(org_units_visible_to(cast.officer)) == {"C1", "D1", "D2", "T1", "T1V1"}
    assert usernames(users_visible_to(cast.officer)) == {"officer"}
    assert [a.station.code for a in assignments_visible_to(cast.officer)] == ["T1V1"]


def test_unit_handler_sees_own_unit_people(cast):
    assert usernames(users_visible_to(cast.office_handler)) == {"office_handler"}
    assert "T1O1" in codes(org_units_visible_to(cast.office_handler))
    assert assignments_visible_to(cast.office_handler).count() == 0
    # A department sees the officers it dispatched.
    assert [a.officer.username for a in assignments_visible_to(cast.dept_handler)] == ["officer"]


def test_user_without_roles_sees_nothing_but_themselves(cast):
    nobody = UserFactory(username="nobody", roles=[], org_unit=cast.township)
    assert org_units_visible_to(nobody).count() == 0
    assert usernames(users_visible_to(nobody)) == {"nobody"}
    assert assignments_visible_to(nobody).count() == 0
