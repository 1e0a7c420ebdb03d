"""/cases/, /cases/<id>/ and /cases/new/: queues per role, the actions the viewer may take, contact shown and logged."""

import datetime
import re

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from cases import services
from cases.models import Case, CaseEvent
from core import workdays
from core.testing.factories import RaisedCaseFactory
from core.testing.lifecycle import STAGES

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def page(client, user, url, **params):
    client.force_login(user)
    r = client.get(url, params)
    assert r.status_code == 200, r.status_code
    return r.content.decode()


def tab_counts(html):
    return {key: int(n) for key, n in re.findall(r'data-tab="(\w+)">[^<]+<span class="count">(\d+)', html)}


def test_list_needs_login(client):
    r = client.get("/cases/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_township_desk_queues_with_counts(client, cast):
    RaisedCaseFactory(cast=cast)
    RaisedCaseFactory(cast=cast, title="第二件")
    RaisedCaseFactory(cast=cast, stage="replied")
    RaisedCaseFactory(cast=cast, stage="fed_back")
    html = page(client, cast.township_staff, "/cases/")
    for label in ["待派单", "待审核", "待回访", "超期", "全部"]:
        assert label in html
    assert tab_counts(html) == {
        "to_dispatch": 2,
        "to_review": 1,
        "to_call_back": 1,
        "to_redo": 0,
        "extensions": 0,
        "overdue": 0,
        "held": 0,
        "all": 4,
    }
    assert html.count('class="case-row"') == 2  # the first tab: 待派单
    # The running deadline in words; which unit it takes depends on the moment (tests/clock.py).
    assert re.search(r"剩余 \d+ (个工作日|个工作小时|小时|分钟)|已超期", html)


def test_tab_counts_follow_the_filters(client, cast):
    """Beside a filtered list every tab counts what the same filters leave, and the list says as much."""
    RaisedCaseFactory(cast=cast, title="甲")
    RaisedCaseFactory(cast=cast, title="乙", stage="replied")
    RaisedCaseFactory(cast=cast, title="丙", stage="fed_back")
    RaisedCaseFactory(cast=cast, title="丁", stage="closed")
    html = page(client, cast.township_staff, "/cases/", tab="all", status="pending_review")
    assert tab_counts(html) == {
        "to_dispatch": 0,
        "to_review": 1,
        "to_call_back": 0,
        "to_redo": 0,
        "extensions": 0,
        "overdue": 0,
        "held": 0,
        "all": 1,
    }
    assert 'data-total="1"' in html and html.count('class="case-row"') == 1
    html = page(client, cast.township_staff, "/cases/", q="甲")
    assert tab_counts(html)["to_dispatch"] == 1 and tab_counts(html)["all"] == 1
    # A filter it cannot read counts nothing rather than everything.
    html = page(client, cast.township_staff, "/cases/", status="nonsense")
    assert set(tab_counts(html).values()) == {0}


def test_unit_officer_and_city_queues(client, cast):
    RaisedCaseFactory(cast=cast, stage="dispatched")
    RaisedCaseFactory(cast=cast, stage="signed")
    escalated = RaisedCaseFactory(cast=cast, stage="escalated")
    services.case_supervise(case_id=escalated.pk, by=cast.city_office)
    unit = tab_counts(page(client, cast.office_handler, "/cases/"))
    assert unit == {"to_sign": 1, "in_progress": 1, "all": 2}
    officer = tab_counts(page(client, cast.officer, "/cases/"))
    assert officer == {"mine": 3, "to_feed_back": 0, "all": 3}
    city = tab_counts(page(client, cast.city_office, "/cases/"))
    assert city["city_to_dispatch"] == 1 and city["city_supervised"] == 1 and city["all"] == 3
    html = page(client, cast.city_office, "/cases/", tab="city_to_dispatch")
    assert "市级待派单" in html and escalated.title in html


def test_overdue_tab_says_how_late(client, cast):
    case = RaisedCaseFactory(cast=cast)
    late = timezone.now() - datetime.timedelta(hours=3, minutes=5)
    Case.objects.filter(pk=case.pk).update(dispatch_due=late, due_at=late)
    html = page(client, cast.township_staff, "/cases/", tab="overdue")
    assert "已超期 3 小时" in html


def test_filters_and_bad_filters(client, cast, categories):
    RaisedCaseFactory(cast=cast)
    RaisedCaseFactory(cast=cast, title="企业融资难", category=categories["enterprise.finance"])
    html = page(client, cast.township_staff, "/cases/", tab="all", category="enterprise", q="融资")
    assert html.count('class="case-row"') == 1 and "企业融资难" in html
    html = page(client, cast.township_staff, "/cases/", tab="all", status="lost", date_from="soon", page="x")
    assert "errors" in html  # the bad value is pointed out; the page still answers
    assert 'class="case-row"' not in html  # and the list is not shown as if the filter were not there


def test_list_is_paginated_with_constant_queries(client, cast, django_assert_max_num_queries):
    for i in range(3):
        RaisedCaseFactory(cast=cast, title=f"问题{i}")
    client.force_login(cast.township_staff)
    client.get("/cases/")
    # 16: the redo queue's count among recently closed cases is one query of its own.
    with django_assert_max_num_queries(16) as small:
        client.get("/cases/", {"tab": "all"})
    for i in range(27):
        RaisedCaseFactory(cast=cast, title=f"更多{i}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get("/cases/", {"tab": "all"}).content.decode()
    assert html.count('class="case-row"') == 25 and "第 1 页，共 2 页" in html
    assert client.get("/cases/", {"tab": "all", "page": 2}).content.decode().count('class="case-row"') == 5


def test_detail_offers_only_what_the_viewer_may_do_now(client, cast):
    case = RaisedCaseFactory(cast=cast, stage="dispatched")
    desk = page(client, cast.township_staff, f"/cases/{case.pk}/")
    # Waiting for the unit: nothing for the desk to do but say the request is unreasonable (不合理诉求) or 无效.
    assert set(re.findall(r'id="form-([\w-]+)"', desk)) == {"unreasonable", "invalid"}
    handler = page(client, cast.office_handler, f"/cases/{case.pk}/")
    assert set(re.findall(r'id="form-([\w-]+)"', handler)) == {"sign", "return"}
    city = page(client, cast.city_office, f"/cases/{case.pk}/")
    assert set(re.findall(r'id="form-([\w-]+)"', city)) == {"supervise"}
    assert "办理过程" in handler and "派单" in handler


def test_detail_shows_contact_to_the_desk_and_logs_it(client, cast):
    case = RaisedCaseFactory(cast=cast)
    html = page(client, cast.township_staff, f"/cases/{case.pk}/")
    assert "13812345678" in html and "东溪村 3 组 12 号" in html
    assert AuditEvent.objects.filter(action="view_personal_data", user=cast.township_staff).count() == 1
    html = page(client, cast.leader, f"/cases/{case.pk}/")
    assert "13812345678" not in html and "138****5678" in html and "东溪村 3 组 12 号" not in html
    assert not AuditEvent.objects.filter(action="view_personal_data", user=cast.leader).exists()


def test_detail_outside_scope_is_404(client, cast):
    case = RaisedCaseFactory(cast=cast)
    client.force_login(cast.township_staff_b)
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.post(f"/cases/{case.pk}/dispatch/", {"dispatch-unit": cast.office_b.pk}).status_code == 404


def test_dispatch_choices_name_the_office_with_its_township(client, cast):
    # Nine townships each have a 综合治理办公室; the choice says which one.
    case = RaisedCaseFactory(cast=cast)
    html = page(client, cast.township_staff, f"/cases/{case.pk}/")
    assert re.search(rf'<option value="{cast.office.pk}"[^>]*>甘霖镇 · 综合治理办公室</option>', html)


def test_action_form_posts_and_redirects(client, cast):
    case = RaisedCaseFactory(cast=cast)
    client.force_login(cast.township_staff)
    r = client.post(f"/cases/{case.pk}/dispatch/", {"dispatch-unit": cast.office.pk, "dispatch-note": "请处理"})
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    assert Case.objects.get(pk=case.pk).status == "pending_sign"
    assert "已完成：派单" in client.get(r["Location"]).content.decode()


def test_action_form_with_a_missing_reason_is_shown_again(client, cast):
    case = RaisedCaseFactory(cast=cast, stage="dispatched")
    client.force_login(cast.office_handler)
    r = client.post(f"/cases/{case.pk}/return/", {"return-reason": ""})
    assert r.status_code == 400
    assert 'id="form-return"' in r.content.decode() and "errors" in r.content.decode()
    assert not CaseEvent.objects.filter(case=case, action="return").exists()


def test_review_reject_needs_a_reason_from_the_service(client, cast):
    case = RaisedCaseFactory(cast=cast, stage="replied")
    client.force_login(cast.township_staff)
    r = client.post(f"/cases/{case.pk}/review/", {"review-approve": "0", "review-reason": ""})
    assert r.status_code == 400 and "请说明办复缺少什么" in r.content.decode()


def test_action_on_a_changed_case_says_so(client, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    client.force_login(cast.office_handler)
    r = client.post(f"/cases/{case.pk}/sign/", {})
    assert r.status_code == 409 and "现在不能办理" in r.content.decode()


def test_action_by_the_wrong_role_is_403(client, cast):
    case = RaisedCaseFactory(cast=cast)
    client.force_login(cast.officer)
    r = client.post(f"/cases/{case.pk}/dispatch/", {"dispatch-unit": cast.office.pk})
    assert r.status_code == 403 and "只有该层级的民情办可以派单" in r.content.decode()


def test_desk_raises_from_another_channel(client, cast, road):
    client.force_login(cast.township_staff)
    assert "登记其他渠道事项" in client.get("/cases/new/").content.decode()
    form = {"source": "petition", "township": cast.township.pk, "title": "信访：噪音扰民", "category": road.pk,
            "urgency": "urgent", "reporter_phone": "bad"}  # fmt: skip
    r = client.post("/cases/new/", form)
    assert r.status_code == 400 and not Case.objects.exists()
    form["reporter_phone"] = "13512345678"
    r = client.post("/cases/new/", form)
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    assert (case.source, case.level, case.urgency, case.officer) == ("petition", "township", "urgent", None)


def test_only_desks_raise_from_other_channels(client, cast):
    client.force_login(cast.officer)
    assert client.get("/cases/new/").status_code == 403


ADMIN_PAGES = [
    "/admin/cases/case/",
    "/admin/cases/case/?status__exact=pending_dispatch&q=道路",
    "/admin/cases/caseevent/",
    "/admin/cases/caseevent/?action__exact=raise",
    "/admin/cases/deadlinepolicy/",
    "/admin/cases/deadlinepolicy/add/",
    "/admin/core/workdayoverride/",
    "/admin/core/workdayoverride/add/",
]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_pages(client, cast, path):
    RaisedCaseFactory(cast=cast)
    client.force_login(cast.admin)
    assert client.get(path).status_code == 200


def test_admin_case_is_read_mostly(client, cast):
    case = RaisedCaseFactory(cast=cast)
    client.force_login(cast.admin)
    html = client.get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert 'name="title"' in html and 'name="status"' not in html
    assert client.get("/admin/cases/case/add/").status_code == 403
    event = case.events.get()
    assert client.get(f"/admin/cases/caseevent/{event.pk}/delete/").status_code == 403


def test_admin_calendar_change_applies_at_once(client, cast):
    day = datetime.date(2027, 2, 8)
    assert workdays.is_working_day(day)
    client.force_login(cast.admin)
    r = client.post("/admin/core/workdayoverride/add/", {"date": "2027-02-08", "is_working_day": "", "name": "春节"})
    assert r.status_code == 302
    assert not workdays.is_working_day(day)
    workdays.overrides_changed()


# Who cannot see the case at each stage: the outsider never; a unit only once it was dispatched to it.
NOT_DISPATCHED_TO_OFFICE = {"raised", "escalated", "city_dispatched"}


def hidden_from(role: str, stage_name: str) -> bool:
    if role == "outsider":
        return True
    if role == "unit_handler":
        return stage_name in NOT_DISPATCHED_TO_OFFICE
    if role == "dept_handler":
        return stage_name != "city_dispatched"
    return False


@pytest.mark.parametrize("stage_name", STAGES)
def test_every_stage_renders_for_every_role(client, cast, stage_name):
    case = RaisedCaseFactory(cast=cast, stage=stage_name)
    for role, user in cast.by_role().items():
        client.force_login(user)
        r = client.get(f"/cases/{case.pk}/")
        assert r.status_code == (404 if hidden_from(role, stage_name) else 200), (role, stage_name)
        assert client.get("/cases/", {"tab": "all"}).status_code == 200


def test_extension_decision_through_the_page(client, cast):
    case = RaisedCaseFactory(cast=cast, stage="extension_pending")
    client.force_login(cast.township_staff)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "申请延期 2 个工作日：材料未到" in html
    before = Case.objects.get(pk=case.pk).handle_due
    r = client.post(f"/cases/{case.pk}/extension-decision/", {"extension-decision-approve": "1"})
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).handle_due > before
