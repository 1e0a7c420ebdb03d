import datetime

import pytest
from django.utils import timezone

from audit.services import audit_log
from core.testing.factories import AuditEventFactory, CityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(cast):
    other_city = CityFactory(code="C2", name="远山市")
    stranger = UserFactory(username="stranger", roles=["city_office"], org_unit=other_city, name="外市办公室")
    audit_log(action="login", user=cast.officer)
    audit_log(action="case_dispatch", user=cast.township_staff, outcome="forbidden")
    audit_log(action="login_failed", username="township_staff", outcome="failed")
    audit_log(action="login_failed", username="nobody-here", outcome="failed")
    audit_log(action="login", user=stranger)
    return cast


def _actions(response):
    return [e.action for e in response.context["page"].object_list]


def test_only_the_city_office_and_admins_may_open_it(client, trail):
    for user in (trail.officer, trail.township_staff, trail.office_handler, trail.leader):
        client.force_login(user)
        assert client.get("/audit/").status_code == 403
    client.force_login(trail.city_office)
    page = client.get("/audit/")
    assert page.status_code == 200
    assert "审计日志" in page.content.decode()  # the page and the nav link


def _who(response):
    return {(e.action, e.username) for e in response.context["page"].object_list}


def test_the_city_office_sees_its_own_city_and_admins_everything(client, trail):
    client.force_login(trail.city_office)
    mine = _who(client.get("/audit/"))
    # Its city's people, including a failed sign-in typed with a city user's name; not the other city.
    assert {("login", "officer"), ("case_dispatch", "township_staff"), ("login_failed", "township_staff")} <= mine
    assert ("login", "stranger") not in mine and ("login_failed", "nobody-here") not in mine
    client.force_login(trail.admin)
    everything = _who(client.get("/audit/"))
    assert {("login", "stranger"), ("login_failed", "nobody-here"), ("login", "officer")} <= everything


def test_newest_first_filters_and_pagination(client, trail):
    old = audit_log(action="export", user=trail.city_office, detail={"rows": 3})
    AuditEventFactory(user=trail.city_office, action="export", at=timezone.now() - datetime.timedelta(days=40))
    client.force_login(trail.admin)
    rows = client.get("/audit/").context["page"].object_list
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    found = client.get("/audit/", {"action": "export", "date_from": since}).context["page"].object_list
    assert [e.pk for e in found] == [old.pk]
    assert _actions(client.get("/audit/", {"outcome": "forbidden"})) == ["case_dispatch"]
    assert _who(client.get("/audit/", {"username": "OFFICER"})) == {("login", "officer")}
    for _ in range(55):
        audit_log(action="view_personal_data", user=trail.admin)
    second = client.get("/audit/", {"page": 2})
    assert second.context["page"].number == 2


def test_bad_filters_are_answered_next_to_the_field(client, trail):
    client.force_login(trail.admin)
    response = client.get("/audit/", {"ip": "not-an-address", "date_from": "2026-13-40"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"ip", "date_from"}


def test_numbers_in_details_stay_masked(client, trail):
    audit_log(action="login_failed", username="13812345678", outcome="failed", detail={"note": "13812345678"})
    client.force_login(trail.admin)
    html = client.get("/audit/").content.decode()
    assert "13812345678" not in html and "138****5678" in html


def test_the_page_reads_in_a_fixed_number_of_queries(client, trail, django_assert_max_num_queries):
    for _ in range(30):
        audit_log(action="login", user=trail.officer)
    client.force_login(trail.city_office)
    client.get("/audit/")
    # Session (read and touched), user, roles, unit, count, one page of rows with their users
    # joined, and the nav's own reads: the same for 30 rows as for 3.
    with django_assert_max_num_queries(10):
        client.get("/audit/")


def test_the_trail_reads_and_searches_in_words_and_exports(client, cast):
    """“导出” finds the exports as "export" does; rows say what happened, not codes (issue 15)."""
    import io

    from openpyxl import load_workbook

    from audit.services import audit_log as log
    from core.testing.factories import RaisedCaseFactory

    case = RaisedCaseFactory(cast=cast)
    log(action="export", user=cast.city_office, detail={"kind": "cases", "rows": 3})
    log(action="case_dispatch", user=cast.township_staff, obj=case)
    client.force_login(cast.city_office)
    by_word = client.get("/audit/", {"action": "导出"}).content.decode()
    by_code = client.get("/audit/", {"action": "export"}).content.decode()
    assert by_word.count('class="audit-event"') == by_code.count('class="audit-event"') >= 1
    page = client.get("/audit/", {"object_type": "民情事项"}).content.decode()
    assert "民情事项：派单" in page and f"民情事项 #{case.pk}" in page and "cases.case" not in page
    sheet = client.get("/audit/export/", {"action": "导出"})
    assert sheet.status_code == 200 and sheet["Content-Disposition"].startswith("attachment")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[0][3] == "动作" and {r[3] for r in rows[1:]} == {"导出"}
