"""Residents' personal data per role and field (PIPL, QUALITY.md Security): who reads a diary
visit's and a case reporter's name, phone and address in full, on the page and in the API.

Written out by hand, role by role, against the rules in diaries.residents and
cases.permissions.may_see_contact, so a change to either shows up here.
"""

import pytest

from core.testing.factories import RaisedCaseFactory, VisitFactory, WrittenDiaryFactory

pytestmark = pytest.mark.django_db

NAME, PHONE, ADDRESS = "王小五", "13912345678", "东溪村八组12号"
MASKED = {"name": "王**", "phone": "139****5678", "address": "东溪****"}

# role → names and addresses in full (True), masked (False), or the entry is not theirs to see (None).
# Phones are masked for everyone until asked for.
DIARY_VISIT = {
    "officer": True, "township_staff": True, "admin": True,
    "city_office": False, "leader": False, "township_leader": False,
    "unit_handler": None, "dept_handler": None, "outsider": None,
}  # fmt: skip
# role → the case reporter's name, phone and address in full (True) or masked (False), or not visible.
CASE_REPORTER = {
    "officer": True, "township_staff": True, "city_office": True, "unit_handler": True,
    "leader": False, "township_leader": False, "admin": False,
    "dept_handler": None, "outsider": None,
}  # fmt: skip


@pytest.fixture
def entry(cast):
    written = WrittenDiaryFactory(officer=cast.officer, station=cast.village)
    VisitFactory(entry=written, name=NAME, phone=PHONE, address=ADDRESS)
    return written


@pytest.fixture
def case(cast):
    return RaisedCaseFactory(cast=cast, stage="dispatched", reporter_name=NAME, reporter_phone=PHONE,
                             reporter_address=ADDRESS)  # fmt: skip


def _shows(text: str, full: bool, fields=("name", "address")) -> None:
    values = {"name": NAME, "phone": PHONE, "address": ADDRESS}
    for field in fields:
        assert (values[field] in text) is full, (field, full)
        if not full:
            assert MASKED[field] in text, field


@pytest.mark.parametrize("role", DIARY_VISIT)
def test_diary_visits_per_role(api, client, cast, entry, role):
    user = cast.by_role()[role]
    expected = DIARY_VISIT[role]
    client.force_login(user)
    page = client.get(f"/diaries/{entry.pk}/")
    answer = api.as_user(user).get(f"/api/v1/diaries/{entry.pk}/")
    if expected is None:
        assert page.status_code == answer.status_code == 404
        return
    for text in (page.content.decode(), answer.content.decode()):
        _shows(text, expected)
        assert PHONE not in text and MASKED["phone"] in text


@pytest.mark.parametrize("role", CASE_REPORTER)
def test_case_reporters_per_role(api, client, cast, case, role):
    user = cast.by_role()[role]
    expected = CASE_REPORTER[role]
    answer = api.as_user(user).get(f"/api/v1/cases/{case.pk}/")
    client.force_login(user)
    page = client.get(f"/cases/{case.pk}/")
    if expected is None:
        assert page.status_code == answer.status_code == 404
        return
    body = answer.json()
    assert (body["reporter_name"], body["reporter_phone"]) == (
        (NAME, PHONE) if expected else (MASKED["name"], MASKED["phone"])
    )
    _shows(page.content.decode(), expected, fields=("name", "phone"))


def test_a_list_of_diaries_names_residents_to_the_author_alone(api, cast, entry):
    own = api.as_user(cast.officer).get("/api/v1/diaries/").content.decode()
    assert NAME in own and PHONE not in own
    desk = api.as_user(cast.township_staff).get("/api/v1/diaries/").content.decode()
    assert NAME not in desk and MASKED["name"] in desk
