"""The ledger's API (API.md "Households"): scope, filters, masking, bad input, PATCH, timeline."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.testing.factories import CaseFactory, DiaryEntryFactory, VisitFactory
from households.models import Household, RecordStatus
from households.services import household_create
from households.validators import credit_code_check_character

pytestmark = pytest.mark.django_db
URL = "/api/v1/households/"


def _code(first17: str = "91330602MA2BXXXX0") -> str:
    return first17 + credit_code_check_character(first17)


@pytest.fixture
def records(cast):
    widow = household_create(
        by=cast.officer, station=cast.village, name="王秀英", address="三组12号", phone="13812345678",
        tags=["独居老人"],
    )  # fmt: skip
    plain = household_create(by=cast.officer, station=cast.village, name="李四", address="一组3号")
    firm = household_create(
        by=cast.township_staff, station=cast.enterprise, kind="enterprise", name="清溪纺织", credit_code=_code()
    )
    other = household_create(by=cast.officer_b, station=cast.village_b, name="外镇户", address="五组1号")
    return widow, plain, firm, other


def test_the_list_is_scoped_filtered_and_masks_phones(api, cast, records):
    widow, plain, firm, other = records
    client = api.as_user(cast.officer)
    body = client.get(URL).json()
    assert {r["id"] for r in body["results"]} == {widow.pk, plain.pk}  # the enterprise is not his station
    assert body["count"] == 2
    shown = next(r for r in body["results"] if r["id"] == widow.pk)
    assert shown["phone"] == "138****5678" and shown["tags"] == ["独居老人"]
    assert shown["next_visit_due"] == timezone.localdate().isoformat() and shown["interval_days"] == 30
    assert [r["id"] for r in client.get(URL, {"due": "true"}).json()["results"]] == [widow.pk]
    assert [r["id"] for r in client.get(URL, {"tag": "独居老人"}).json()["results"]] == [widow.pk]
    assert [r["id"] for r in client.get(URL, {"q": "一组"}).json()["results"]] == [plain.pk]
    staff = api.as_user(cast.township_staff)
    assert staff.get(URL).json()["count"] == 3
    assert [r["id"] for r in staff.get(URL, {"kind": "enterprise"}).json()["results"]] == [firm.pk]
    assert staff.get(URL, {"station": cast.village.pk}).json()["count"] == 2
    assert staff.get(URL, {"status": "bogus"}).status_code == 400
    for user in (cast.city_office, cast.office_handler, cast.dept_handler):
        assert api.as_user(user).get(URL).json()["count"] == 0


def test_detail_shows_the_phone_to_its_keepers_audited_and_is_404_outside(api, cast, records):
    widow, _plain, _firm, other = records
    got = api.as_user(cast.officer).get(f"{URL}{widow.pk}/").json()
    assert got["phone"] == "13812345678" and got["last_visit"] is None
    assert AuditEvent.objects.filter(action="view_personal_data", object_id=str(widow.pk)).count() == 1
    assert api.as_user(cast.township_staff).get(f"{URL}{widow.pk}/").json()["phone"] == "13812345678"
    assert api.as_user(cast.township_leader).get(f"{URL}{widow.pk}/").json()["phone"] == "138****5678"
    assert api.as_user(cast.admin).get(f"{URL}{widow.pk}/").json()["phone"] == "138****5678"
    for user in (cast.officer_b, cast.city_office, cast.office_handler, cast.township_staff_b):
        assert api.as_user(user).get(f"{URL}{widow.pk}/").status_code == 404
    assert api.as_user(cast.officer).get(f"{URL}{other.pk}/").status_code == 404
    assert api.as_user(cast.officer).patch(f"{URL}{other.pk}/", {"name": "x"}, format="json").status_code == 404


def test_post_creates_a_record_and_writes_an_audit_row(api, cast):
    client = api.as_user(cast.officer)
    answer = client.post(
        URL, {"station": cast.village.pk, "name": "赵六", "address": "二组8号", "phone": "138 1234 5678",
              "members": 4, "tags": ["低保户"]}, format="json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.json()
    got = answer.json()
    assert got["phone"] == "13812345678" and got["tags"] == ["低保户"] and got["interval_days"] == 91
    assert AuditEvent.objects.filter(action="household_create", object_id=str(got["id"])).exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "张三"}, "station"),
        ({"station": "VILLAGE_B", "name": "张三"}, "station"),
        ({"station": "VILLAGE", "name": "张三", "phone": "12345"}, "phone"),
        ({"station": "VILLAGE", "name": "某公司", "credit_code": "BAD_CODE"}, "credit_code"),
        ({"station": "VILLAGE", "name": "某公司", "credit_code": "91330602"}, "credit_code"),
        ({"station": "VILLAGE", "name": "张三", "tags": ["不存在"]}, "tags"),
        ({"station": "VILLAGE", "name": "张\x00三"}, "name"),
        ({"station": "VILLAGE", "name": "张三", "members": -1}, "members"),
        ({"station": "VILLAGE", "name": "张三", "status": "moved"}, "status"),
        ({"station": 999999999999, "name": "张三"}, "station"),
    ],
)
def test_bad_input_is_a_400_in_chinese_and_writes_nothing(api, cast, body, field):
    valid = _code()
    wrong_check = valid[:17] + ("1" if valid[17] != "1" else "2")
    stations = {"VILLAGE": cast.village.pk, "VILLAGE_B": cast.village_b.pk, "BAD_CODE": wrong_check}
    body = {k: stations.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    answer = api.as_user(cast.officer).post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400 and field in answer.json(), answer.json()
    assert not Household.objects.exists() and not AuditEvent.objects.filter(action="household_create").exists()


def test_a_non_object_body_is_a_400(api, cast):
    assert api.as_user(cast.officer).post(URL, [1, 2], format="json").status_code == 400


def test_patch_changes_fields_tags_status_and_refuses_a_move_to_an_unserved_station(api, cast, records):
    widow, plain, *_ = records
    client = api.as_user(cast.officer)
    answer = client.patch(f"{URL}{plain.pk}/", {"tags": ["信访重点户"], "members": 2}, format="json")
    assert answer.status_code == 200 and answer.json()["interval_days"] == 30 and answer.json()["members"] == 2
    answer = client.patch(f"{URL}{widow.pk}/", {"status": "moved"}, format="json")
    assert answer.json()["status"] == "moved" and answer.json()["next_visit_due"] is None
    widow.refresh_from_db()
    assert widow.inactive_since == timezone.localdate()
    back = client.patch(f"{URL}{widow.pk}/", {"status": "active"}, format="json").json()
    assert back["inactive_since"] is None and back["next_visit_due"] is not None
    moved = client.patch(f"{URL}{plain.pk}/", {"station": cast.village_b.pk}, format="json")
    assert moved.status_code == 400 and "station" in moved.json()
    bad = client.patch(f"{URL}{plain.pk}/", {"phone": "abc", "name": "改名"}, format="json")
    assert bad.status_code == 400
    plain.refresh_from_db()
    assert (plain.station_id, plain.name) == (cast.village.pk, "李四")
    assert AuditEvent.objects.filter(action="household_update", object_id=str(widow.pk)).count() == 2


def test_a_township_leader_reads_but_does_not_keep_the_ledger(api, cast, records):
    widow, *_ = records
    answer = api.as_user(cast.township_leader).patch(f"{URL}{widow.pk}/", {"name": "改名"}, format="json")
    assert answer.status_code == 400
    widow.refresh_from_db()
    assert widow.name == "王秀英"


def test_the_timeline_shows_visits_and_cases_newest_first_that_the_caller_may_see(api, cast, records):
    widow, *_ = records
    today = timezone.localdate()
    old = DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=today - datetime.timedelta(days=9),
                            content="看望王秀英，身体尚可")  # fmt: skip
    VisitFactory(entry=old, name="王秀英", household=widow)
    case = CaseFactory(cast=cast, from_village=True, household=widow, title="屋顶漏雨")
    answer = api.as_user(cast.officer).get(f"{URL}{widow.pk}/timeline/")
    assert answer.status_code == 200
    items = answer.json()
    assert [(i["kind"], i["id"]) for i in items] == [("case", case.pk), ("visit", old.pk)]
    assert items[1]["text"] == "看望王秀英，身体尚可" and items[0]["status"] == case.status
    # The township's staff see both; a city office sees no record at all.
    assert len(api.as_user(cast.township_staff).get(f"{URL}{widow.pk}/timeline/").json()) == 2
    assert api.as_user(cast.city_office).get(f"{URL}{widow.pk}/timeline/").status_code == 404
    # Closed records keep their history.
    Household.objects.filter(pk=widow.pk).update(status=RecordStatus.CLOSED)
    assert len(api.as_user(cast.officer).get(f"{URL}{widow.pk}/timeline/").json()) == 2
