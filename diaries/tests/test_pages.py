import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Case
from core.testing.factories import IssueDataFactory, StationAssignmentFactory, WrittenDiaryFactory
from core.testing.payloads import SVG, photo
from diaries.models import DiaryEntry, Photo, Review
from notifications.models import Notification

pytestmark = pytest.mark.django_db

NEW = "/diaries/new/"


def form_data(cast, **changes) -> dict:
    """What the officer's form posts: one visit and two issues, the second solved on the spot."""
    data = {
        "station": cast.village.pk, "visit_date": timezone.localdate().isoformat(), "visit_type": "household",
        "content": "走访东溪村农户，了解春耕用水情况，村民反映道路和水渠的问题。", "idempotency_key": "page-key-1",
        "latitude": "29.6", "longitude": "120.8",
        "visits-TOTAL_FORMS": "2", "visits-INITIAL_FORMS": "0", "visits-MIN_NUM_FORMS": "0",
        "visits-MAX_NUM_FORMS": "100",
        "visits-0-kind": "household", "visits-0-name": "张大伯", "visits-0-phone": "138 1234 5678",
        "visits-0-address": "3组",
        # An untouched extra row is skipped.
        "visits-1-kind": "household", "visits-1-name": "", "visits-1-phone": "", "visits-1-address": "",
        "issues-TOTAL_FORMS": "2", "issues-INITIAL_FORMS": "0", "issues-MIN_NUM_FORMS": "0",
        "issues-MAX_NUM_FORMS": "20",
        "issues-0-title": "村口道路坑洼", "issues-0-category": "infra.road", "issues-0-urgency": "normal",
        "issues-0-description": "雨天积水", "issues-0-reporter_name": "张大伯", "issues-0-reporter_phone": "13812345678",
        "issues-0-resolution": "", "issues-0-feedback": "", "issues-0-satisfaction": "",
        "issues-1-title": "水渠堵塞", "issues-1-category": "agri.irrigation", "issues-1-urgency": "urgent",
        "issues-1-description": "", "issues-1-reporter_name": "", "issues-1-reporter_phone": "",
        "issues-1-solved_on_site": "on", "issues-1-resolution": "当场清理", "issues-1-feedback": "已告知疏通",
        "issues-1-satisfaction": "satisfied",
    }  # fmt: skip
    data.update(changes)
    return data


def test_form_is_for_officers_with_their_station_preselected(client, cast, categories):
    assert client.get(NEW).status_code == 302
    client.force_login(cast.township_staff)
    assert client.get(NEW).status_code == 403
    client.force_login(cast.officer)
    page = client.get(NEW)
    html = page.content.decode()
    assert page.status_code == 200
    assert "写民情日记" in html
    assert re.search(rf'<option value="{cast.village.pk}" selected>东溪村', html)
    assert f'value="{timezone.localdate().isoformat()}"' in html
    assert re.search(r'name="idempotency_key" value="[0-9a-f]{32}"', html)
    assert "<script>" not in html and " onclick=" not in html  # no inline scripts (CSP)


def test_several_stations_mean_a_choice(client, cast, categories):
    StationAssignmentFactory(cast=cast, station=cast.community)
    client.force_login(cast.officer)
    html = client.get(NEW).content.decode()
    assert "请选择驻点" in html and "selected>东溪村" not in html


def test_submitting_writes_the_entry_and_its_cases(client, cast, categories):
    client.force_login(cast.officer)
    r = client.post(NEW, form_data(cast))
    entry = DiaryEntry.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/diaries/{entry.pk}/"
    assert entry.visits.get().phone == "13812345678"
    assert [(c.level, c.status) for c in entry.cases.order_by("id")] == [
        ("township", "pending_dispatch"),
        ("onsite", "closed"),
    ]
    assert str(entry.latitude) == "29.600000"


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"station": "village_b"}, "station", "请选择您本人当前的驻点。"),
        ({"content": " "}, "content", "请写下您看到和听到的情况。"),
        ({"visit_date": "tomorrow"}, "visit_date", "走访日期不能晚于今天。"),
        ({"visit_date": "days_ago_31"}, "visit_date", "走访日期不能早于 30 天前。"),
        ({"visits-0-phone": "1234"}, "visits-0-phone", "请输入 11 位手机号"),
        ({"issues-1-category": "no.such"}, "issues-1-category", "选择一个有效的选项"),
        ({"issues-1-resolution": ""}, "issues-1-resolution", "请说明当场是如何解决的。"),
        ({"issues-0-title": ""}, "issues-0-title", "该字段是必填项。"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_written(client, cast, categories, changes, field, message):
    today = timezone.localdate()
    values = {
        "village_b": cast.village_b.pk,
        "tomorrow": (today + datetime.timedelta(days=1)).isoformat(),
        "days_ago_31": (today - datetime.timedelta(days=31)).isoformat(),
    }
    client.force_login(cast.officer)
    data = form_data(cast, **{k: values.get(v, v) for k, v in changes.items()})
    r = client.post(NEW, data)
    html = r.content.decode()
    assert r.status_code == 400
    block = re.search(rf'data-field="{field}">(.*?)</div>\s*</div>', html, re.S)
    assert block and message in block.group(1), html[:200]
    assert DiaryEntry.objects.count() == Case.objects.count() == 0
    # The officer's words are still there.
    assert "走访东溪村农户" in html or changes.get("content")

    json_errors = client.post(NEW, data, headers={"Accept": "application/json"}).json()["errors"]
    assert any(message in m for m in json_errors[field])


def test_json_answers_for_the_pages_script(client, cast, categories):
    client.force_login(cast.officer)
    r = client.post(NEW, form_data(cast), headers={"Accept": "application/json"})
    entry = DiaryEntry.objects.get()
    assert r.status_code == 201 and r.json() == {"id": entry.pk, "url": f"/diaries/{entry.pk}/", "replayed": False}
    again = client.post(NEW, form_data(cast), headers={"Accept": "application/json"})
    assert again.status_code == 200 and again.json()["id"] == entry.pk and again.json()["replayed"]


def test_a_resent_form_makes_one_entry_and_another_form_with_its_key_is_refused(client, cast, categories):
    client.force_login(cast.officer)
    first = client.post(NEW, form_data(cast))
    second = client.post(NEW, form_data(cast))
    assert first["Location"] == second["Location"]
    assert DiaryEntry.objects.count() == 1 and Case.objects.count() == 2
    r = client.post(NEW, form_data(cast, content="另一篇完全不同的内容。"))
    assert r.status_code == 400 and "已经用不同的内容提交过" in r.content.decode()
    assert client.post(NEW, form_data(cast, idempotency_key="")).status_code == 400
    assert DiaryEntry.objects.count() == 1


def test_photos_on_the_page(client, cast, categories, media):
    client.force_login(cast.officer)
    bad = client.post(NEW, {**form_data(cast), "photos": [photo("x.svg", SVG, "image/svg+xml")]})
    assert bad.status_code == 400 and "不是照片" in bad.content.decode()
    assert not DiaryEntry.objects.exists()
    ok = client.post(NEW, {**form_data(cast), "photos": [photo("a.jpg"), photo("b.jpg")]})
    assert ok.status_code == 302
    assert Photo.objects.count() == 2
    files = [p for p in Path(media).rglob("*") if p.is_file()]
    assert len(files) == 2 and not str(files[0]).startswith(str(settings.STATIC_ROOT or "/nonexistent"))


def test_photo_is_served_as_an_attachment_only_within_scope(client, cast, categories):
    from diaries.photos import check_photos

    entry = WrittenDiaryFactory(cast=cast, photos=check_photos([photo("a.jpg")]))
    pic = entry.photos.get()
    url = f"/api/v1/diaries/photos/{pic.pk}/"
    client.force_login(cast.township_staff)
    r = client.get(url, headers={"Accept": "image/avif,image/webp,image/*"})
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"\xff\xd8\xff")
    assert r["Content-Type"] == "image/jpeg" and r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("attachment")
    assert "sandbox" in r["Content-Security-Policy"]
    for outsider in (cast.township_staff_b, cast.officer_b, cast.office_handler):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    assert client.get("/api/v1/diaries/photos/999999/").status_code == 404
    client.logout()
    assert client.get(url).status_code in (401, 403)


def test_list_shows_own_entries_masked_and_filtered(client, cast, categories):
    mine = WrittenDiaryFactory(cast=cast, content="今天走访养殖户，了解生猪价格。")
    old = WrittenDiaryFactory(cast=cast, days_ago=12, content="村民代表大会讨论村规民约。")
    WrittenDiaryFactory(cast=cast, officer=cast.officer_b, station=cast.village_b, content="长乐镇走访")
    client.force_login(cast.officer)
    html = client.get("/diaries/").content.decode()
    assert f'data-entry="{mine.pk}"' in html and f'data-entry="{old.pk}"' in html
    assert "长乐镇走访" not in html
    assert "138****5678" in html and "13812345678" not in html
    html = client.get("/diaries/", {"q": "生猪"}).content.decode()
    assert f'data-entry="{mine.pk}"' in html and f'data-entry="{old.pk}"' not in html
    since = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    html = client.get("/diaries/", {"date_from": since, "station": cast.village.pk}).content.decode()
    assert f'data-entry="{mine.pk}"' in html and f'data-entry="{old.pk}"' not in html
    assert client.get("/diaries/", {"date_from": "never", "page": "x"}).status_code == 200


def test_township_desk_list_has_village_and_officer_filters(client, cast, categories):
    StationAssignmentFactory(officer=cast.officer_b, station=cast.community, dispatching_unit=cast.department_2)
    a = WrittenDiaryFactory(cast=cast)
    b = WrittenDiaryFactory(cast=cast, officer=cast.officer_b, station=cast.community, content="新桥社区走访记录一则")
    client.force_login(cast.township_staff)
    html = client.get("/diaries/").content.decode()
    assert f'data-entry="{a.pk}"' in html and f'data-entry="{b.pk}"' in html
    assert 'name="officer"' in html and 'name="station"' in html and "新桥社区" in html
    html = client.get("/diaries/", {"officer": cast.officer_b.pk}).content.decode()
    assert f'data-entry="{a.pk}"' not in html and f'data-entry="{b.pk}"' in html
    html = client.get("/diaries/", {"station": cast.village.pk}).content.decode()
    assert f'data-entry="{a.pk}"' in html and f'data-entry="{b.pk}"' not in html
    client.force_login(cast.township_staff_b)
    html = client.get("/diaries/").content.decode()
    assert "data-entry=" not in html
    client.force_login(cast.city_office)
    html = client.get("/diaries/", {"township": cast.township.pk}).content.decode()
    assert f'data-entry="{a.pk}"' in html and 'name="township"' in html
    client.force_login(cast.office_handler)
    assert "data-entry=" not in client.get("/diaries/").content.decode()


def test_list_page_query_count(client, cast, categories, django_assert_max_num_queries):
    for i in range(25):
        WrittenDiaryFactory(cast=cast, days_ago=i % 30, content=f"走访记录{i}：{'不同内容' * (i + 1)}{i * 7919}",
                            issues=[IssueDataFactory()])  # fmt: skip
    client.force_login(cast.township_staff)
    # Session, user, roles and unit; filter choices; count, page and four prefetches; the session's savepoints.
    with django_assert_max_num_queries(16):
        html = client.get("/diaries/").content.decode()
    assert html.count("data-entry=") == 20 and "第 1 / 2 页" in html


def test_detail_shows_visits_cases_with_their_status_and_the_review_form(
    client, cast, categories, django_assert_max_num_queries
):
    entry = WrittenDiaryFactory(cast=cast, issues=[
        IssueDataFactory(title="路灯不亮"),
        IssueDataFactory(category=categories["agri.irrigation"], title="渠道堵塞", solved_on_site=True,
                         resolution="当场清理", feedback="已告知", satisfaction="satisfied"),
    ])  # fmt: skip
    client.force_login(cast.township_staff)
    with django_assert_max_num_queries(15):
        html = client.get(f"/diaries/{entry.pk}/").content.decode()
    assert "路灯不亮" in html and "待派单" in html and "渠道堵塞" in html and "已办结" in html
    assert "138****5678" in html and "13812345678" not in html
    assert f'action="/diaries/{entry.pk}/review/"' in html
    client.force_login(cast.officer)
    html = client.get(f"/diaries/{entry.pk}/").content.decode()
    assert "/review/" not in html
    for outsider in (cast.township_staff_b, cast.officer_b, cast.office_handler):
        client.force_login(outsider)
        assert client.get(f"/diaries/{entry.pk}/").status_code == 404


def test_revealing_phones_is_audited_and_limited(client, cast, categories):
    entry = WrittenDiaryFactory(cast=cast)
    client.force_login(cast.township_staff)
    html = client.get(f"/diaries/{entry.pk}/", {"reveal": "1"}).content.decode()
    assert "13812345678" in html
    assert AuditEvent.objects.filter(action="view_personal_data", user=cast.township_staff).count() == 1
    client.force_login(cast.city_office)
    assert client.get(f"/diaries/{entry.pk}/", {"reveal": "1"}).status_code == 403


def test_copy_flag_with_the_earlier_entry_beside_it(client, cast, categories):
    text = "今天走访东溪村张大伯家，了解春耕准备情况，张大伯反映村口道路坑洼，雨天积水，出行不便。"
    first = WrittenDiaryFactory(cast=cast, days_ago=3, content=text)
    copy = WrittenDiaryFactory(cast=cast, content=text.replace("张大伯", "李阿姨"))
    client.force_login(cast.township_staff)
    html = client.get(f"/diaries/{copy.pk}/").content.decode()
    assert "疑似雷同" in html and f'href="/diaries/{first.pk}/"' in html and "张大伯" in html
    assert "疑似雷同" in client.get("/diaries/").content.decode()


def test_review_from_the_page(client, cast, categories):
    entry = WrittenDiaryFactory(cast=cast)
    client.force_login(cast.township_staff)
    r = client.post(f"/diaries/{entry.pk}/review/", {"comment": "记录详实，继续跟进。"}, follow=True)
    assert "记录详实" in r.content.decode()
    assert Review.objects.get().reviewer == cast.township_staff
    assert Notification.objects.filter(recipient=cast.officer, kind="diary_reviewed").exists()
    client.post(f"/diaries/{entry.pk}/review/", {"comment": ""})
    assert Review.objects.count() == 1
    client.force_login(cast.officer)
    assert client.post(f"/diaries/{entry.pk}/review/", {"comment": "好"}).status_code == 403
    client.force_login(cast.township_staff_b)
    assert client.post(f"/diaries/{entry.pk}/review/", {"comment": "好"}).status_code == 404


def test_nav_links(client, cast, categories):
    client.force_login(cast.officer)
    html = client.get("/").content.decode()
    assert 'href="/diaries/new/"' in html and 'href="/diaries/"' in html
    client.force_login(cast.office_handler)
    assert 'href="/diaries/"' not in client.get("/").content.decode()


def test_form_page_stays_under_150_kb_with_its_assets(client, cast, categories):
    client.force_login(cast.officer)
    html = client.get(NEW).content
    total = len(html)
    for asset in re.findall(rb'(?:href|src)="/static/([^"]+)"', html):
        total += (Path(settings.BASE_DIR) / "static" / asset.decode()).stat().st_size
    assert total <= 150 * 1024, total


def test_a_too_long_phone_is_answered_with_what_a_phone_looks_like(client, cast, categories):
    """With JavaScript off the browser sends what was typed; the answer says what a right number is,
    not "at most 20 characters" (issue 15)."""
    client.force_login(cast.officer)
    form = client.get("/diaries/new/").content.decode()
    assert 'name="visits-0-phone"' in form and 'maxlength="20"' in form[form.index('name="visits-0-phone"') - 300 :]
    response = client.post("/diaries/new/", {
        "station": cast.village.pk, "visit_date": timezone.localdate().isoformat(), "visit_type": "household",
        "content": "走访",
        "visits-TOTAL_FORMS": "1", "visits-INITIAL_FORMS": "0", "visits-0-kind": "household",
        "visits-0-name": "张大伯", "visits-0-phone": "1381234567813812345678",
        "issues-TOTAL_FORMS": "0", "issues-INITIAL_FORMS": "0",
    })  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 400 and "11 位" in html and "不超过 20" not in html
