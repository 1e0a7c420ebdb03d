"""无效: the desk closes spam, tests and duplicates with a reason; such cases leave every figure."""

import datetime

import pytest

from cases.choices import Action
from cases.models import Case, CaseEvent
from core.testing.factories import RaisedCaseFactory
from dashboards import facts

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def url(case):
    return f"/api/v1/cases/{case.pk}/invalid/"


def _everything(fields):
    from django.db.models import Q

    return Q()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"kind": "spam"},
        {"reason": "广告"},
        {"kind": "nonsense", "reason": "广告"},
        {"kind": "spam", "reason": "  "},
    ],
)
def test_a_kind_and_a_reason_are_required(api, cast, body, settings):
    settings.LANGUAGE_CODE = "en"
    case = RaisedCaseFactory(cast=cast)
    before = CaseEvent.objects.filter(case=case).count()
    r = api.as_user(cast.township_staff).post(url(case), body, format="json")
    assert r.status_code == 400, r.content
    assert CaseEvent.objects.filter(case=case).count() == before
    assert not Case.objects.get(pk=case.pk).invalid


@pytest.mark.parametrize("stage", ["raised", "signed", "fed_back"])
def test_the_desk_closes_an_open_case_as_invalid(api, cast, stage):
    case = RaisedCaseFactory(cast=cast, stage=stage)
    r = api.as_user(cast.township_staff).post(url(case), {"kind": "duplicate", "reason": "与前一件重复"}, format="json")
    assert r.status_code == 200, r.content
    case.refresh_from_db()
    assert case.status == "closed" and case.invalid and case.closed_at is not None and case.clock == ""
    event = CaseEvent.objects.get(case=case, action=Action.INVALID)
    assert event.data == {"kind": "duplicate"} and event.note == "与前一件重复" and event.to_status == "closed"
    # Closed: nothing more to do, and not twice.
    again = api.as_user(cast.township_staff).post(url(case), {"kind": "spam", "reason": "x"}, format="json")
    assert again.status_code == 409


def test_the_officer_and_the_unit_may_not(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    for user in (cast.officer, cast.office_handler):
        assert api.as_user(user).post(url(case), {"kind": "spam", "reason": "x"}, format="json").status_code == 403


def test_the_page_form_marks_too(client, cast):
    case = RaisedCaseFactory(cast=cast)
    client.force_login(cast.township_staff)
    r = client.post(f"/cases/{case.pk}/invalid/", {"invalid-kind": "test", "invalid-reason": "系统测试"})
    assert r.status_code == 302
    assert Case.objects.get(pk=case.pk).invalid


def test_invalid_cases_leave_every_figure(api, cast):
    kept = RaisedCaseFactory(cast=cast, stage="approved")
    spam = RaisedCaseFactory(cast=cast, stage="approved")
    day = datetime.date.today()
    spans = [(day - datetime.timedelta(days=60), day + datetime.timedelta(days=1))]
    before = facts.case_totals(spans, _everything)
    assert (
        api.as_user(cast.township_staff).post(url(spam), {"kind": "spam", "reason": "广告"}, format="json").status_code
        == 200
    )
    after = facts.case_totals(spans, _everything)
    assert after["raised"] == before["raised"] - 1
    assert after["dispatches"] == before["dispatches"] - 1
    assert after["replies_approved"] == before["replies_approved"] - 1
    assert kept.pk != spam.pk


def test_invalid_cases_stay_in_the_list_with_a_badge(api, cast, client):
    case = RaisedCaseFactory(cast=cast)
    api.as_user(cast.township_staff).post(url(case), {"kind": "spam", "reason": "广告"}, format="json")
    client.force_login(cast.township_staff)
    listed = client.get("/cases/?tab=all&status=closed").content.decode()
    assert case.code in listed and "data-invalid" in listed
    # A figure's link leaves them out, as the figure does (dashboards.tables.figure_links).
    assert case.code not in client.get("/cases/?tab=all&status=closed&invalid=0").content.decode()
    assert "data-invalid" in client.get(f"/cases/{case.pk}/").content.decode()
