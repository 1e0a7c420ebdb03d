import pytest

from core.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_by_default(client):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert "登录" in page.content.decode()


def test_login_page_in_english(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign in" in page.content.decode()


def test_login_logout(client, cast):
    r = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/"
    home = client.get("/")
    assert "东溪村" in home.content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_shows_a_message(client, cast):
    r = client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    assert r.status_code == 200
    assert "errors" in r.content.decode()


def test_home_needs_login(client):
    r = client.get("/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


ADMIN_PAGES = [
    "/admin/",
    "/admin/accounts/orgunit/",
    "/admin/accounts/orgunit/?q=东溪&kind=village",
    "/admin/accounts/user/?role=officer&q=周",
    "/admin/accounts/stationassignment/?active=yes",
    "/admin/accounts/cobuildinglink/",
    "/admin/cases/category/",
    "/admin/cases/routingrule/",
]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages_answer_in_chinese(client, cast, path):
    client.force_login(cast.admin)
    r = client.get(path)
    assert r.status_code == 200, path


def test_admin_unit_and_user_edit_pages(client, cast):
    client.force_login(cast.admin)
    assert client.get(f"/admin/accounts/orgunit/{cast.village.pk}/change/").status_code == 200
    assert client.get(f"/admin/accounts/user/{cast.officer.pk}/change/").status_code == 200


def test_admin_refuses_overlapping_assignment_with_a_message(client, cast):
    client.force_login(cast.admin)
    r = client.post(
        "/admin/accounts/stationassignment/add/",
        {"officer": cast.officer.pk, "station": cast.village.pk, "dispatching_unit": cast.department.pk,
         "start": "2026-05-01", "end": ""},
    )  # fmt: skip
    assert r.status_code == 200
    assert "时间段重叠" in r.content.decode()
    assert cast.officer.assignments.count() == 1


def test_admin_creates_unit_with_derived_placement(client, cast):
    client.force_login(cast.admin)
    r = client.post(
        "/admin/accounts/orgunit/add/",
        {"code": "T1V9", "name": "新村", "kind": "village", "parent": cast.township.pk, "is_active": "on",
         "sort_order": 0, "partner_links-TOTAL_FORMS": 0, "partner_links-INITIAL_FORMS": 0},
    )  # fmt: skip
    assert r.status_code == 302, r.content.decode()[:2000]
    from accounts.models import OrgUnit

    assert OrgUnit.objects.get(code="T1V9").township_id == cast.township.pk
