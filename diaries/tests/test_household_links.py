"""Diary visits and issues linked to the station's household records (HOUSEHOLDS.md "Visits and the ledger")."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case
from core.testing.factories.households import HouseholdFactory
from core.testing.payloads import payload
from diaries.models import DiaryEntry, Visit
from households.models import Household, HouseholdTag, RecordStatus
from households.services import household_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/diaries/"


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(datetime.datetime(2026, 5, 13, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def widow(cast):
    """A key record of the officer's village (独居老人: monthly), never visited: due at once."""
    return household_create(
        by=cast.admin, station=cast.village, tags=["独居老人"], name="王阿婆", address="东溪村2组5号"
    )


def body(cast, visits, issues=None, **changes):
    b = payload(cast, visits=visits, **changes)
    if issues is not None:
        b["issues"] = issues
    return b


def test_a_linked_visit_takes_the_records_name_and_moves_its_schedule(api, cast, categories, widow):
    assert widow.next_visit_due == timezone.localdate()
    issue = dict(payload(cast)["issues"][0], household=widow.pk)
    r = api.as_user(cast.officer).post(
        URL, body(cast, [{"kind": "household", "household": widow.pk}], [issue]), format="json"
    )
    assert r.status_code == 201, r.json()
    visit = Visit.objects.get()
    assert (visit.household_id, visit.name, visit.address) == (widow.pk, "王阿婆", "东溪村2组5号")
    assert r.json()["visits"][0]["household"] == widow.pk
    assert Case.objects.get().household_id == widow.pk
    widow.refresh_from_db()
    assert widow.last_visit_on == timezone.localdate()
    assert widow.next_visit_due == timezone.localdate() + datetime.timedelta(days=30)


def test_a_new_household_is_created_with_the_entry_and_linked(api, cast, categories):
    new = {"kind": "household", "name": "李大爷", "address": "东溪村4组1号", "phone": "13800001111", "tags": ["低保户"]}
    r = api.as_user(cast.officer).post(
        URL, body(cast, [{"kind": "household", "new_household": new}]), format="json", headers={"Idempotency-Key": "n1"}
    )
    assert r.status_code == 201, r.json()
    record = Household.objects.get()
    assert (record.station_id, record.name, record.created_by_id) == (cast.village.pk, "李大爷", cast.officer.pk)
    assert [t.name for t in record.tags.all()] == ["低保户"]
    assert Visit.objects.get().household_id == record.pk
    assert record.next_visit_due == timezone.localdate() + datetime.timedelta(days=91)
    # The same key again: the first answer, no second record.
    again = api.post(URL, body(cast, [{"kind": "household", "new_household": new}]), format="json",
                     headers={"Idempotency-Key": "n1"})  # fmt: skip
    assert again.json() == r.json() and Household.objects.count() == 1


def _refused(api, cast, b) -> dict:
    r = api.as_user(cast.officer).post(URL, b, format="json")
    assert r.status_code == 400, r.json()
    assert not DiaryEntry.objects.exists() and not Case.objects.exists() and not Visit.objects.exists()
    return r.json()


def test_a_record_of_another_station_is_refused(api, cast, categories):
    other = HouseholdFactory(station=cast.village_b)
    errors = _refused(api, cast, body(cast, [{"kind": "household", "household": other.pk}]))
    assert errors["visits"][0]["household"]
    other.refresh_from_db()
    assert other.last_visit_on is None


def test_an_inactive_record_is_refused_and_so_is_an_issue_naming_one(api, cast, categories, widow):
    moved = HouseholdFactory(station=cast.village, status=RecordStatus.MOVED)
    issue = dict(payload(cast)["issues"][0], household=moved.pk)
    errors = _refused(api, cast, body(cast, [{"kind": "household", "household": moved.pk}], [issue]))
    assert errors["visits"][0]["household"] and errors["issues"][0]["household"]
    widow.refresh_from_db()
    assert widow.last_visit_on is None


@pytest.mark.parametrize(
    ("new", "field"),
    [
        ({"name": "赵四", "tags": ["不存在的标签"]}, "tags"),
        ({"name": "赵四", "phone": "12ab"}, "phone"),
        ({"name": "", "address": "3组"}, "name"),
        ({"name": "赵四", "kind": "martian"}, "kind"),
    ],
)
def test_a_bad_new_household_is_refused_and_nothing_is_written(api, cast, categories, new, field):
    errors = _refused(api, cast, body(cast, [{"kind": "household", "new_household": new}]))
    assert field in errors["visits"][0]["new_household"]
    assert not Household.objects.exists()


def test_a_visit_needs_a_name_or_a_record(api, cast, categories):
    errors = _refused(api, cast, body(cast, [{"kind": "household"}]))
    assert errors["visits"][0]["name"]
    assert HouseholdTag.objects.exists()  # the seeded tags are untouched


def test_a_linked_visit_adds_few_statements(api, cast, categories, widow, django_assert_max_num_queries):
    from diaries.tests.test_create_queries import QUERIES, warmed

    client = warmed(api, cast)
    b = body(cast, [{"kind": "household", "household": widow.pk}], content="走访王阿婆，身体尚好，院子需要修整。")
    b["issues"] = b["issues"][:1]
    # The record check (1) and the schedule's move (a distinct interval, its update and the inactive one's).
    with django_assert_max_num_queries(QUERIES + 4):
        assert client.post(URL, b, format="json", headers={"Idempotency-Key": "q1"}).status_code == 201


def test_the_entry_page_links_the_record_for_those_who_may_see_it(api, client, cast, categories, widow):
    r = api.as_user(cast.officer).post(URL, body(cast, [{"kind": "household", "household": widow.pk}]), format="json")
    page = f"/diaries/{r.json()['id']}/"
    link = f'href="/households/{widow.pk}/"'
    client.force_login(cast.officer)
    assert link in client.get(page).content.decode()
    client.force_login(cast.city_office)  # sees the entry, not the ledger (counts only)
    html = client.get(page).content.decode()
    assert client.get(page).status_code == 200 and link not in html


def _page_body(cast, **visit) -> dict:
    row = {"visits-0-kind": "household", "visits-0-name": "", "visits-0-phone": "", "visits-0-address": ""}
    row |= {f"visits-0-{k}": v for k, v in visit.items()}
    return {
        "station": cast.village.pk, "visit_date": timezone.localdate().isoformat(), "visit_type": "household",
        "content": "走访农户，了解近况，老人身体尚好，院子里的积水需要清理。", "idempotency_key": "page-key-1",
        "visits-TOTAL_FORMS": "1", "visits-INITIAL_FORMS": "0", "issues-TOTAL_FORMS": "0", "issues-INITIAL_FORMS": "0",
        **row,
    }  # fmt: skip


def test_the_page_form_offers_key_records_without_script_and_links_the_pick(client, cast, categories, widow):
    client.force_login(cast.officer)
    html = client.get("/diaries/new/").content.decode()
    assert f'<option value="{widow.pk}">王阿婆 · 东溪村2组5号</option>' in html and "独居老人" in html
    r = client.post("/diaries/new/", _page_body(cast, household=widow.pk))
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Visit.objects.get().household_id == widow.pk
    widow.refresh_from_db()
    assert widow.last_visit_on == timezone.localdate()


def test_the_page_form_creates_a_new_household_and_shows_bad_tags_by_the_field(client, cast, categories):
    client.force_login(cast.officer)
    r = client.post("/diaries/new/", _page_body(cast, new_name="赵大妈", new_address="东溪村6组", new_tags="残疾人"))
    assert r.status_code == 302, r.content.decode()[:2000]
    record = Household.objects.get()
    assert record.name == "赵大妈" and Visit.objects.get().household_id == record.pk
    other = HouseholdFactory(station=cast.village_b)
    r = client.post("/diaries/new/", _page_body(cast, household=other.pk) | {"idempotency_key": "page-key-2"})
    html = r.content.decode()
    field = html[html.index('data-field="visits-0-household"') :]
    assert r.status_code == 400 and field.index('class="errors"') < field.index("</div>\n")
    assert DiaryEntry.objects.count() == 1


def test_a_record_id_beyond_the_database_is_a_400(api, cast, categories):
    errors = _refused(api, cast, body(cast, [{"kind": "household", "household": 2**40}]))
    assert errors["visits"][0]["household"]
