"""The ledger in the admin: tags edited in the list, records read with personal data masked."""

import re

import pytest

from audit.models import AuditEvent
from households.models import HandoverNote, HouseholdTag
from households.services import household_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(cast):
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save(update_fields=["is_staff", "is_superuser"])
    return cast.admin


def test_admin_pages_open_and_mask_phones(client, cast, superuser):
    record = household_create(by=cast.officer, station=cast.village, name="王秀英", phone="13812345678")
    HandoverNote.objects.create(station=cast.village, author=cast.officer, text="交接")
    client.force_login(superuser)
    for url in ("/admin/households/householdtag/", "/admin/households/household/", "/admin/households/handovernote/",
                "/admin/households/household/?q=王秀英"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    page = client.get(f"/admin/households/household/{record.pk}/change/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    shown = client.get(f"/admin/households/household/{record.pk}/change/?reveal=1").content.decode()
    assert "13812345678" in shown and AuditEvent.objects.filter(action="view_personal_data").exists()
    city = client.get(f"/admin/accounts/orgunit/{cast.city.pk}/change/").content.decode()
    assert "ledger_retention_years" in city


def test_a_tag_interval_changed_in_the_admin_moves_its_records(
    client, cast, superuser, django_capture_on_commit_callbacks
):
    record = household_create(by=cast.officer, station=cast.village, name="李四", tags=["退役军人"])
    assert record.interval_days is None
    tags = list(HouseholdTag.objects.order_by("order", "id"))
    data = {"form-TOTAL_FORMS": len(tags), "form-INITIAL_FORMS": len(tags), "_save": "Save"}
    for i, tag in enumerate(tags):
        data |= {f"form-{i}-id": tag.pk, f"form-{i}-interval_days": 60 if tag.name == "退役军人" else (tag.interval_days or ""),
                 f"form-{i}-order": tag.order, f"form-{i}-active": "on" if tag.active else ""}  # fmt: skip
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/admin/households/householdtag/", data)
    assert answer.status_code == 302
    record.refresh_from_db()
    assert record.interval_days == 60 and record.next_visit_due is not None


def test_the_tag_lists_editable_cells_are_named_by_row_and_column(client, superuser):
    HouseholdTag.objects.update_or_create(
        name="独居老人", defaults={"interval_days": 30}
    )  # a migration may have made it
    client.force_login(superuser)
    page = client.get("/admin/households/householdtag/").content.decode()
    inputs = re.findall(r"<input [^>]*name=\"form-\d+-(?:interval_days|order|active)\"[^>]*>", page)
    assert inputs
    # Named for a screen reader (the list has no <label>), and no aria-describedby at help text the list never shows.
    assert all('aria-label="' in tag and "aria-describedby" not in tag for tag in inputs), inputs
    assert re.search(r'aria-label="独居老人[:：] ?[^"]+"', page)  # the separator as the language writes it
