"""保密 (RESIDENTS.md): a confidential reporter's name and phone reach the desks and the officer only —
never the unit that handles the case, on its page, in the API or in an export."""

import pytest

from core.testing.factories import RaisedCaseFactory
from dashboards.exports import _case_row

pytestmark = pytest.mark.django_db

NAME, PHONE, ADDRESS = "王小五", "13912345678", "东溪村八组12号"
MASKS = ("王**", "139****5678", "东溪****")
# role → sees the reporter in full (True) or nothing of them at all (False); None: not their case to see.
CONFIDENTIAL = {
    "officer": True, "township_staff": True, "city_office": True,
    "unit_handler": False, "leader": False, "township_leader": False, "admin": False,
    "dept_handler": None, "outsider": None,
}  # fmt: skip


@pytest.fixture
def case(cast):
    return RaisedCaseFactory(cast=cast, stage="dispatched", reporter_name=NAME, reporter_phone=PHONE,
                             reporter_address=ADDRESS, confidential=True)  # fmt: skip


@pytest.mark.parametrize("role", CONFIDENTIAL)
def test_a_confidential_reporter_per_role(api, client, cast, case, role):
    user = cast.by_role()[role]
    answer = api.as_user(user).get(f"/api/v1/cases/{case.pk}/")
    client.force_login(user)
    page = client.get(f"/cases/{case.pk}/")
    listing = api.get("/api/v1/cases/", {"tab": "all"})
    if CONFIDENTIAL[role] is None:
        assert page.status_code == answer.status_code == 404
        return
    body = answer.json()
    if CONFIDENTIAL[role]:
        assert (body["reporter_name"], body["reporter_phone"], body["reporter_address"]) == (NAME, PHONE, ADDRESS)
        assert NAME in page.content.decode()
        return
    assert (body["reporter_name"], body["reporter_phone"], body["reporter_address"]) == ("", "", "")
    for text in (page.content.decode(), listing.content.decode()):
        assert not any(value in text for value in (NAME, PHONE, ADDRESS, *MASKS))


def test_exports_below_the_desks_leave_a_confidential_reporter_out(case):
    case.is_overdue = False  # as the list's queryset annotates it
    masked = _case_row(case, masked=True)
    assert not any(value in str(cell) for cell in masked for value in (NAME, PHONE, ADDRESS, *MASKS))
    assert NAME in _case_row(case, masked=False)
