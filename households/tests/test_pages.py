"""The ledger's pages: the ledger, a record (edit, status), a new record, a station with its handover note."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from core.testing.factories import DiaryEntryFactory, HandoverNoteFactory, VisitFactory
from households.models import HandoverNote, Household
from households.services import household_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def widow(cast):
    return household_create(
        by=cast.officer, station=cast.village, name="王秀英", address="三组12号", phone="13812345678",
        tags=["独居老人"],
    )  # fmt: skip


def test_the_ledger_lists_the_station_records_with_counts_and_filters(client, cast, widow):
    household_create(by=cast.officer, station=cast.village, name="李四", address="一组3号")
    household_create(by=cast.officer_b, station=cast.village_b, name="外镇户")
    client.force_login(cast.officer)
    page = client.get("/households/")
    text = page.content.decode()
    assert page.status_code == 200 and "王秀英" in text and "李四" in text and "外镇户" not in text
    assert page.context["counts"] == {"total": 2, "active": 2, "key": 1, "due": 1}
    assert "138****5678" in text and "13812345678" not in text
    assert f'href="/households/stations/{cast.village.pk}/"' in text  # his station's page
    due = client.get("/households/", {"due": "true"})
    assert [r.name for r in due.context["page"]] == ["王秀英"]
    assert [r.name for r in client.get("/households/", {"q": "一组"}).context["page"]] == ["李四"]
    assert client.get("/households/", {"status": "nonsense"}).context["page"].paginator.count == 0
    client.force_login(cast.township_leader)
    page = client.get("/households/", {"station": cast.village.pk})
    assert page.context["page"].paginator.count == 2 and not page.context["may_add"]
    client.force_login(cast.city_office)
    assert client.get("/households/").context["page"].paginator.count == 0


def test_the_nav_offers_the_ledger_to_officers_and_township_staff(client, cast):
    client.force_login(cast.officer)
    assert 'href="/households/"' in client.get("/cases/").content.decode()
    client.force_login(cast.city_office)
    assert 'href="/households/"' not in client.get("/cases/").content.decode()


def test_the_record_page_shows_the_timeline_and_its_keeper_edits_it(client, cast, widow):
    entry = DiaryEntryFactory(officer=cast.officer, station=cast.village, content="看望王秀英，身体尚可")
    VisitFactory(entry=entry, name="王秀英", household=widow)
    client.force_login(cast.officer)
    page = client.get(f"/households/{widow.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "看望王秀英" in text and "13812345678" in text and "独居老人" in text
    assert AuditEvent.objects.filter(action="view_personal_data", object_id=str(widow.pk)).exists()
    saved = client.post(f"/households/{widow.pk}/", {"kind": "household", "name": "王秀英", "address": "三组12号",
                                                       "phone": "0575-83012345", "members": "1", "tags": ["低保户"]})  # fmt: skip
    assert saved.status_code == 302
    widow.refresh_from_db()
    assert widow.phone == "0575-83012345" and widow.interval_days == 91
    bad = client.post(f"/households/{widow.pk}/", {"kind": "household", "name": "王秀英", "phone": "123"})
    assert bad.status_code == 400 and "phone" in bad.context["form"].errors
    moved = client.post(f"/households/{widow.pk}/", {"form": "status", "status": "moved"})
    assert moved.status_code == 302
    widow.refresh_from_db()
    assert widow.status == "moved" and widow.inactive_since == timezone.localdate()


def test_the_record_page_is_404_outside_and_read_only_for_a_township_leader(client, cast, widow):
    for user in (cast.officer_b, cast.city_office, cast.office_handler, cast.township_staff_b):
        client.force_login(user)
        assert client.get(f"/households/{widow.pk}/").status_code == 404
    client.force_login(cast.township_leader)
    page = client.get(f"/households/{widow.pk}/")
    assert page.status_code == 200 and page.context["form"] is None and "138****5678" in page.content.decode()
    assert client.post(f"/households/{widow.pk}/", {"form": "status", "status": "closed"}).status_code == 403


def test_a_new_record_from_the_page(client, cast):
    client.force_login(cast.officer)
    assert client.get("/households/new/").status_code == 200
    answer = client.post("/households/new/", {"station": cast.village.pk, "kind": "household", "name": "赵六",
                                              "address": "二组8号", "tags": ["独居老人"]})  # fmt: skip
    record = Household.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/households/{record.pk}/"
    wrong = client.post("/households/new/", {"station": cast.village_b.pk, "kind": "household", "name": "钱七"})
    assert wrong.status_code == 400 and Household.objects.count() == 1
    client.force_login(cast.city_office)
    assert client.get("/households/new/").status_code == 403


def test_the_station_page_shows_the_predecessors_note_and_the_officer_writes_one(client, cast, widow):
    HandoverNoteFactory(station=cast.village, text="王大爷独居，每月去一次。")
    client.force_login(cast.officer)
    page = client.get(f"/households/stations/{cast.village.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "王大爷独居" in text and "周建国" in text and "王秀英" in text
    assert page.context["note_form"] is not None
    assert client.post(f"/households/stations/{cast.village.pk}/", {"text": "   "}).status_code == 400
    long = client.post(f"/households/stations/{cast.village.pk}/", {"text": "字" * (HandoverNote.MAX_LENGTH + 1)})
    assert long.status_code == 400 and HandoverNote.objects.count() == 1
    done = client.post(f"/households/stations/{cast.village.pk}/", {"text": "三组王秀英需每月走访。"})
    assert done.status_code == 302
    note = HandoverNote.objects.first()
    assert (note.author, note.text) == (cast.officer, "三组王秀英需每月走访。")
    assert AuditEvent.objects.filter(action="handover_note_write").exists()
    # The township's staff read it but do not write it; others do not see the station at all.
    client.force_login(cast.township_staff)
    page = client.get(f"/households/stations/{cast.village.pk}/")
    assert page.status_code == 200 and page.context["note_form"] is None
    assert client.post(f"/households/stations/{cast.village.pk}/", {"text": "x"}).status_code == 403
    for user in (cast.officer_b, cast.city_office, cast.office_handler, cast.township_staff_b):
        client.force_login(user)
        assert client.get(f"/households/stations/{cast.village.pk}/").status_code == 404


def test_the_station_page_carries_its_resident_code_card(client, cast):
    from residents.models import StationCode

    client.force_login(cast.officer)
    text = client.get(f"/households/stations/{cast.village.pk}/").content.decode()
    token = StationCode.objects.get(station=cast.village).token
    assert 'id="station-code"' in text and f"/r/{token}/" in text and "<svg" in text
    assert "form-station-rotate" not in text  # an officer prints the card; the township or an admin rotates it
    client.force_login(cast.township_staff)
    assert "form-station-rotate" in client.get(f"/households/stations/{cast.village.pk}/").content.decode()
