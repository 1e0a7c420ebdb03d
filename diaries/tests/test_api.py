import datetime
import json

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Case, Category
from core.models import IdempotencyKey
from core.testing.factories import IssueDataFactory, PhotoFactory, StationAssignmentFactory, WrittenDiaryFactory
from core.testing.payloads import HTML, JPEG, PNG, SVG, payload, photo
from diaries.models import DiaryEntry, Photo, Visit

pytestmark = pytest.mark.django_db

URL = "/api/v1/diaries/"


def post(client, body, **headers):
    return client.post(URL, body, format="json", headers=headers)


def nothing_written():
    return DiaryEntry.objects.count() == Case.objects.count() == Visit.objects.count() == Photo.objects.count() == 0


def test_create_answers_201_with_the_entry_and_its_cases_in_issue_order(api, cast, categories):
    r = post(api.as_user(cast.officer), payload(cast))
    assert r.status_code == 201, r.json()
    body = r.json()
    entry = DiaryEntry.objects.get()
    cases = list(Case.objects.order_by("id"))
    assert body["id"] == entry.pk
    assert body["cases"] == [c.pk for c in cases]
    assert [(c["title"], c["status"], c["level"]) for c in body["raised_cases"]] == [
        ("村口道路坑洼", "pending_dispatch", "township"),
        ("灌溉渠堵塞", "closed", "onsite"),
    ]
    assert body["station"] == {"id": cast.village.pk, "name": "东溪村"}
    assert body["location"] == {"lat": 29.6, "lng": 120.8}
    assert (body["household_visits"], body["enterprise_visits"]) == (1, 1)
    assert [v["phone"] for v in body["visits"]] == ["138****5678", "057******2345"]
    assert Visit.objects.filter(phone="13812345678").exists()  # stored in full, shown masked
    assert cases[1].feedbacks.get().content == "已告知渠道已疏通"
    assert body["possible_copy"] is None and body["photos"] == [] and body["reviews"] == []


def test_anonymous_is_401_and_other_roles_may_not_write(api, cast, categories):
    assert api.post(URL, payload(cast), format="json").status_code == 401
    for user in (cast.township_staff, cast.city_office, cast.admin, cast.office_handler):
        r = post(api.as_user(user), payload(cast))
        assert r.status_code == 403, user
    assert nothing_written()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"station": "village_b"}, "station"),
        ({"station": "community"}, "station"),
        ({"station": 999999}, "station"),
        ({"visit_date": "tomorrow"}, "visit_date"),
        ({"visit_date": "days_ago_31"}, "visit_date"),
        ({"visit_date": "2026-13-45"}, "visit_date"),
        ({"content": "   "}, "content"),
        ({"content": None}, "content"),
        ({"visit_type": "party"}, "visit_type"),
        ({"location": {"lat": 95, "lng": 120}}, "location"),
    ],
)
def test_bad_entry_fields_answer_400_next_to_the_field_and_write_nothing(api, cast, categories, change, field):
    today = timezone.localdate()
    values = {
        "village_b": cast.village_b.pk,
        "community": cast.community.pk,
        "tomorrow": (today + datetime.timedelta(days=1)).isoformat(),
        "days_ago_31": (today - datetime.timedelta(days=31)).isoformat(),
    }
    body = payload(cast, **{k: values.get(v, v) if isinstance(v, str | int) else v for k, v in change.items()})
    r = post(api.as_user(cast.officer), body)
    assert r.status_code == 400
    assert field in r.json(), r.json()
    assert nothing_written()


def test_chinese_messages(api, cast, categories):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client = api.as_user(cast.officer)
    errors = post(client, payload(cast, station=cast.village_b.pk, content="")).json()
    assert errors["content"] == ["请写下您看到和听到的情况。"]
    errors = post(client, payload(cast, station=cast.village_b.pk)).json()
    assert errors["station"] == ["请选择您本人当前的驻点。"]
    assert post(client, payload(cast, visit_date=tomorrow)).json()["visit_date"] == ["走访日期不能晚于今天。"]


def test_bad_issue_answers_nested_errors_and_leaves_no_entry_no_case(api, cast, categories):
    body = payload(cast)
    body["issues"][1]["category"] = "no.such"
    body["issues"].append({**body["issues"][0], "reporter_phone": "12345"})
    r = post(api.as_user(cast.officer), body)
    assert r.status_code == 400
    issues = r.json()["issues"]
    assert issues[0] == {}
    assert issues[1] == {"category": ["未知的分类，请从列表中选择。"]}
    assert list(issues[2]) == ["reporter_phone"]
    assert nothing_written()


def test_inactive_category_is_unknown(api, cast, categories):
    Category.objects.filter(code="infra.road").update(is_active=False)
    r = post(api.as_user(cast.officer), payload(cast))
    assert r.status_code == 400 and "category" in r.json()["issues"][0]


def test_solved_on_site_needs_resolution_and_feedback(api, cast, categories):
    body = payload(cast)
    body["issues"][1].update(resolution="", feedback=" ")
    r = post(api.as_user(cast.officer), body)
    assert r.status_code == 400
    assert set(r.json()["issues"][1]) == {"resolution", "feedback"}
    assert nothing_written()


def test_bad_visit_phone(api, cast, categories):
    body = payload(cast)
    body["visits"][0]["phone"] = "1381234"
    r = post(api.as_user(cast.officer), body)
    assert r.status_code == 400
    assert list(r.json()["visits"][0]) == ["phone"] and r.json()["visits"][1] == {}
    assert nothing_written()


def test_garbage_is_a_400_not_a_500(api, cast, categories):
    client = api.as_user(cast.officer)
    for body in ([1, 2], {"visits": "x", "issues": [1]}, {"station": {"a": 1}}, {"issues": [{}] * 21}):
        assert client.post(URL, body, format="json").status_code == 400
    r = client.post(URL, "{not json", content_type="application/json")
    assert r.status_code == 400
    assert nothing_written()


def test_same_key_and_body_replays_the_same_answer_without_new_rows(api, cast, categories):
    client = api.as_user(cast.officer)
    first = post(client, payload(cast), **{"Idempotency-Key": "0b5e4c1a-7d7e-4b5e-9d4f-1f1e2d3c4b5a"})
    again = post(client, payload(cast), **{"Idempotency-Key": "0b5e4c1a-7d7e-4b5e-9d4f-1f1e2d3c4b5a"})
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert DiaryEntry.objects.count() == 1 and Case.objects.count() == 2
    # Even once the visit date has left the 30-day window, the retry gets its answer.
    IdempotencyKey.objects.update(created_at=timezone.now() - datetime.timedelta(days=40))
    assert (
        post(client, payload(cast), **{"Idempotency-Key": "0b5e4c1a-7d7e-4b5e-9d4f-1f1e2d3c4b5a"}).json()
        == first.json()
    )


def test_same_key_with_another_body_is_422(api, cast, categories):
    client = api.as_user(cast.officer)
    assert post(client, payload(cast), **{"Idempotency-Key": "k-1"}).status_code == 201
    r = post(client, payload(cast, content="另一篇完全不同的日记内容，写的是企业走访。"), **{"Idempotency-Key": "k-1"})
    assert r.status_code == 422 and "detail" in r.json()
    assert DiaryEntry.objects.count() == 1


def test_keys_belong_to_their_user(api, cast, categories):
    StationAssignmentFactory(officer=cast.officer_b, station=cast.village, dispatching_unit=cast.department_2)
    assert post(api.as_user(cast.officer), payload(cast), **{"Idempotency-Key": "shared"}).status_code == 201
    assert post(api.as_user(cast.officer_b), payload(cast), **{"Idempotency-Key": "shared"}).status_code == 201
    assert DiaryEntry.objects.count() == 2


def test_a_refused_request_does_not_use_up_its_key(api, cast, categories):
    client = api.as_user(cast.officer)
    assert post(client, payload(cast, content=""), **{"Idempotency-Key": "k-2"}).status_code == 400
    assert post(client, payload(cast), **{"Idempotency-Key": "k-2"}).status_code == 201


def test_malformed_key_is_400(api, cast, categories):
    r = post(api.as_user(cast.officer), payload(cast), **{"Idempotency-Key": "x" * 101})
    assert r.status_code == 400 and "idempotency_key" in r.json()


def test_multipart_with_photos(api, cast, categories):
    client = api.as_user(cast.officer)
    body = {"payload": json.dumps(payload(cast)), "photos": [photo("a.jpg"), photo("b.png", PNG, "image/png")]}
    r = client.post(URL, body, format="multipart", headers={"Idempotency-Key": "with-photos"})
    assert r.status_code == 201, r.json()
    photos = r.json()["photos"]
    assert [p["content_type"] for p in photos] == ["image/jpeg", "image/png"]
    assert photos[0]["url"].startswith("http://testserver/api/v1/diaries/photos/")
    got = client.get(photos[0]["url"])
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"\xff\xd8\xff")
    # The same photos again with the same key: the same answer, no new files.
    body = {"payload": json.dumps(payload(cast)), "photos": [photo("a.jpg"), photo("b.png", PNG, "image/png")]}
    assert (
        client.post(URL, body, format="multipart", headers={"Idempotency-Key": "with-photos"}).json()["id"]
        == r.json()["id"]
    )
    assert Photo.objects.count() == 2


def test_photo_refusals(api, cast, categories):
    client = api.as_user(cast.officer)
    cases = [
        [photo("x.svg", SVG, "image/svg+xml")],
        [photo("x.jpg", HTML, "image/jpeg")],
        [photo(f"{i}.jpg") for i in range(10)],
        [photo("big.jpg", JPEG + b"\x00" * (10 * 1024 * 1024))],
    ]
    for photos in cases:
        r = client.post(URL, {"payload": json.dumps(payload(cast)), "photos": photos}, format="multipart")
        assert r.status_code == 400 and "photos" in r.json()
    r = client.post(URL, {"payload": "{broken"}, format="multipart")
    assert r.status_code == 400 and "payload" in r.json()
    assert nothing_written()


# --- reading ------------------------------------------------------------------


@pytest.fixture
def entries(cast, categories):
    """One entry in each township, and an unassigned-township-staff's view of them."""
    own = WrittenDiaryFactory(cast=cast, issues=[IssueDataFactory()])
    other = WrittenDiaryFactory(
        cast=cast, officer=cast.officer_b, station=cast.village_b, content="长乐镇西山村走访记录"
    )
    return own, other


VISIBLE = {
    "officer": {"own"},
    "officer_b": {"other"},
    "township_staff": {"own"},
    "township_staff_b": {"other"},
    "township_leader": {"own"},
    "leader": {"own", "other"},
    "city_office": {"own", "other"},
    "admin": {"own", "other"},
    "office_handler": set(),
    "dept_handler": set(),
}


@pytest.mark.parametrize("who", VISIBLE)
def test_scope_of_every_role_in_list_detail_and_photos(api, cast, entries, who, media):
    own, other = entries
    pic = PhotoFactory(entry=own)
    client = api.as_user(getattr(cast, who))
    ids = {e["id"] for e in client.get(URL).json()["results"]}
    expected = {{"own": own.pk, "other": other.pk}[k] for k in VISIBLE[who]}
    assert ids == expected
    for name, entry in (("own", own), ("other", other)):
        assert client.get(f"{URL}{entry.pk}/").status_code == (200 if name in VISIBLE[who] else 404)
    assert client.get(f"/api/v1/diaries/photos/{pic.pk}/").status_code == (200 if "own" in VISIBLE[who] else 404)


def test_filters(api, cast, categories):
    old = WrittenDiaryFactory(cast=cast, days_ago=20, content="二十天前参加村民代表大会，讨论村规民约修订。")
    new = WrittenDiaryFactory(cast=cast, content="今天走访养殖户，了解生猪价格与防疫情况。")
    other = WrittenDiaryFactory(cast=cast, officer=cast.officer_b, station=cast.village_b, content="长乐镇走访")
    client = api.as_user(cast.city_office)

    def ids(**params):
        return [e["id"] for e in client.get(URL, params).json()["results"]]

    assert ids() == [other.pk, new.pk, old.pk]
    assert ids(officer=cast.officer.pk) == [new.pk, old.pk]
    assert ids(station=cast.village_b.pk) == [other.pk]
    assert ids(township=cast.township.pk) == [new.pk, old.pk]
    ten_days_ago = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    assert ids(date_from=ten_days_ago) == [other.pk, new.pk]
    assert ids(date_to=ten_days_ago) == [old.pk]
    assert ids(q="生猪") == [new.pk]
    assert ids(q="西山") == [other.pk]  # the station's name
    assert client.get(URL, {"date_from": "soon", "officer": "x"}).status_code == 400


def test_possible_copy_filter_and_field(api, cast, categories):
    text = "今天走访东溪村张大伯家，了解春耕准备情况，张大伯反映村口道路坑洼，雨天积水，出行不便。"
    first = WrittenDiaryFactory(cast=cast, days_ago=3, content=text)
    copy = WrittenDiaryFactory(cast=cast, content=text.replace("张大伯", "李阿姨"))
    client = api.as_user(cast.township_staff)
    results = client.get(URL, {"possible_copy": "true"}).json()["results"]
    assert [e["id"] for e in results] == [copy.pk]
    assert results[0]["possible_copy"]["entry"] == first.pk and results[0]["possible_copy"]["score"] >= 0.7
    assert [e["id"] for e in client.get(URL, {"possible_copy": "false"}).json()["results"]] == [first.pk]


def test_pagination(api, cast, categories):
    for i in range(5):
        WrittenDiaryFactory(cast=cast, days_ago=i, content=f"第{i}天：走访了不同的农户，内容各不相同，编号{i * 7919}。")
    body = api.as_user(cast.officer).get(URL, {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 5 and len(body["results"]) == 2 and body["next"]


def test_list_query_count_is_constant(api, cast, categories, django_assert_max_num_queries):
    for i in range(12):
        WrittenDiaryFactory(cast=cast, days_ago=i, content=f"走访记录{i}：{'各不相同的内容' * (i + 1)}{i * 7919}",
                            issues=[IssueDataFactory(), IssueDataFactory()])  # fmt: skip
    client = api.as_user(cast.township_staff)
    with django_assert_max_num_queries(9):
        body = client.get(URL, {"page_size": 10}).json()
    assert len(body["results"]) == 10 and all(len(e["cases"]) == 2 for e in body["results"])
    assert body["results"][0]["visits"][0]["phone"] == "138****5678"


def test_detail_query_count_and_shape(api, cast, categories, django_assert_max_num_queries):
    entry = WrittenDiaryFactory(cast=cast, issues=[IssueDataFactory(), IssueDataFactory(title="第二件")])
    client = api.as_user(cast.township_staff)
    with django_assert_max_num_queries(9):
        body = client.get(f"{URL}{entry.pk}/").json()
    assert body["cases"] == list(entry.cases.order_by("id").values_list("id", flat=True))
    assert [c["status"] for c in body["raised_cases"]] == ["pending_dispatch", "pending_dispatch"]
    assert body["visits"][0]["phone"] == "138****5678"


def test_unmasking_is_for_those_who_need_it_and_audited(api, cast, categories):
    entry = WrittenDiaryFactory(cast=cast)
    for user in (cast.officer, cast.township_staff, cast.admin):
        r = api.as_user(user).get(f"{URL}{entry.pk}/", {"unmask": "true"})
        assert r.json()["visits"][0]["phone"] == "13812345678"
    assert AuditEvent.objects.filter(action="view_personal_data", object_id=str(entry.pk)).count() == 3
    assert api.as_user(cast.city_office).get(f"{URL}{entry.pk}/", {"unmask": "true"}).status_code == 403
    assert api.as_user(cast.township_staff_b).get(f"{URL}{entry.pk}/", {"unmask": "true"}).status_code == 404


def test_review_api(api, cast, categories):
    entry = WrittenDiaryFactory(cast=cast)
    url = f"{URL}{entry.pk}/review/"
    r = api.as_user(cast.township_staff).post(url, {"comment": "请尽快跟进"}, format="json")
    assert r.status_code == 201 and r.json()["comment"] == "请尽快跟进"
    assert api.as_user(cast.township_staff).post(url, {"comment": ""}, format="json").status_code == 400
    assert api.as_user(cast.officer).post(url, {"comment": "好"}, format="json").status_code == 403
    assert api.as_user(cast.township_staff_b).post(url, {"comment": "好"}, format="json").status_code == 404
    assert api.as_user(cast.officer).get(f"{URL}{entry.pk}/").json()["reviews"][0]["comment"] == "请尽快跟进"


def test_schema_documents_the_diary_endpoints(api, cast):
    schema = api.as_user(cast.admin).get("/api/schema/", {"format": "json"}).json()
    post_op = schema["paths"]["/api/v1/diaries/"]["post"]
    assert {"application/json", "multipart/form-data"} <= set(post_op["requestBody"]["content"])
    assert any(p["name"] == "Idempotency-Key" for p in post_op["parameters"])
    assert "/api/v1/diaries/photos/{id}/" in schema["paths"]
