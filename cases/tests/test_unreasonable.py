"""不合理诉求: the desk marks a request unreasonable, the city office approves or refuses; an approved claim
is what the scores leave out (cases.selectors.unreasonable_approved), and the case stays where it was."""

import pytest

from audit.models import AuditEvent
from cases.choices import Action
from cases.models import Case, CaseEvent, Unreasonable
from cases.selectors import unreasonable_approved
from core.testing.factories import RaisedCaseFactory, UnreasonableFactory
from notifications.models import Notification
from notifications.tests.support import received

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

REASON = "要求政府承担私人房屋装修费用"


def url(case, action):
    return f"/api/v1/cases/{case.pk}/{action}/"


# --- marking -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": "\x00"}])
def test_a_mark_without_a_reason_is_400_and_writes_nothing(api, cast, body, settings):
    settings.LANGUAGE_CODE = "en"
    case = RaisedCaseFactory(cast=cast, stage="signed")
    before = CaseEvent.objects.filter(case=case).count()
    r = api.as_user(cast.township_staff).post(url(case, "unreasonable"), body, format="json")
    assert r.status_code == 400, r.content
    assert "reason" in r.json()
    assert CaseEvent.objects.filter(case=case).count() == before
    assert not Unreasonable.objects.exists() and not Notification.objects.filter(kind__contains="unreasonable")


def test_the_desk_marks_the_city_office_is_told_and_not_twice_while_pending(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    r = api.as_user(cast.township_staff).post(url(case, "unreasonable"), {"reason": REASON}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "in_progress"  # the case stays where it was
    assert "unreasonable" not in r.json()["actions"]
    claim = Unreasonable.objects.get(case=case)
    assert (claim.decision, claim.reason, claim.requested_by) == ("pending", REASON, cast.township_staff)
    event = CaseEvent.objects.get(case=case, action=Action.UNREASONABLE_REQUEST)
    assert event.data == {"unreasonable": claim.pk} and event.note == REASON
    assert event.from_status == event.to_status == "in_progress"
    assert received(kind="case.unreasonable_request") == [("city_office", "case.unreasonable_request")]
    assert AuditEvent.objects.filter(action="case_unreasonable", outcome="ok").count() == 1
    again = api.as_user(cast.township_staff).post(url(case, "unreasonable"), {"reason": REASON}, format="json")
    assert again.status_code == 409, again.content
    assert Unreasonable.objects.filter(case=case).count() == 1
    # The city office finds it in its queue and may decide.
    detail = api.as_user(cast.city_office).get(f"/api/v1/cases/{case.pk}/").json()
    assert "unreasonable-decision" in detail["actions"]


def test_a_city_case_is_marked_by_the_city_office_not_the_township(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="escalated")
    body = {"reason": REASON}
    assert api.as_user(cast.township_staff).post(url(case, "unreasonable"), body, format="json").status_code == 403
    assert api.as_user(cast.city_office).post(url(case, "unreasonable"), body, format="json").status_code == 200


@pytest.mark.parametrize("role", ["officer", "office_handler", "township_leader"])
def test_the_unit_and_the_officer_may_not_mark_nor_decide(api, cast, role):
    case = RaisedCaseFactory(cast=cast, stage="unreasonable_pending")
    user = api.as_user(getattr(cast, role))
    assert user.post(url(case, "unreasonable"), {"reason": REASON}, format="json").status_code == 403
    assert user.post(url(case, "unreasonable-decision"), {"approve": True}, format="json").status_code == 403
    assert not Unreasonable.objects.exclude(decision="pending").exists()


@pytest.mark.parametrize("outsider", ["township_staff_b", "officer_b"])
def test_outside_the_scope_is_404(api, cast, outsider):
    case = RaisedCaseFactory(cast=cast, stage="unreasonable_pending")
    user = api.as_user(getattr(cast, outsider))
    assert user.post(url(case, "unreasonable"), {"reason": REASON}, format="json").status_code == 404
    assert user.post(url(case, "unreasonable-decision"), {"approve": True}, format="json").status_code == 404


# --- deciding ------------------------------------------------------------------------------------------------


def test_the_city_office_approves_and_the_desk_and_unit_are_told(api, cast, client):
    case = RaisedCaseFactory(cast=cast, stage="unreasonable_pending")
    r = api.as_user(cast.city_office).post(url(case, "unreasonable-decision"), {"approve": True}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "in_progress"
    claim = Unreasonable.objects.get(case=case)
    assert (claim.decision, claim.decided_by) == ("approved", cast.city_office) and claim.decided_at
    event = CaseEvent.objects.get(case=case, action=Action.UNREASONABLE_DECISION)
    assert event.data == {"unreasonable": claim.pk, "approve": True}
    assert [u for u, _kind in received(kind="case.unreasonable_decision")] == ["office_handler", "township_staff"]
    # Approved: neither marked again nor decided again.
    detail = api.as_user(cast.township_staff).get(f"/api/v1/cases/{case.pk}/").json()
    assert "unreasonable" not in detail["actions"]
    again = api.as_user(cast.city_office).post(url(case, "unreasonable-decision"), {"approve": True}, format="json")
    assert again.status_code == 409
    # The case page says so, and the timeline says what was decided.
    client.force_login(cast.township_staff)
    page = client.get(f"/cases/{case.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-unreasonable="approved"' in page
    assert "left out of the unit&#x27;s score" in page or "left out of the unit's score" in page


def test_refusing_needs_a_note_and_the_desk_may_mark_again(api, cast, client):
    case = RaisedCaseFactory(cast=cast, stage="unreasonable_pending")
    client.force_login(cast.township_staff)
    assert 'data-unreasonable="pending"' in client.get(f"/cases/{case.pk}/").content.decode()
    office = api.as_user(cast.city_office)
    assert office.post(url(case, "unreasonable-decision"), {"approve": False}, format="json").status_code == 400
    assert Unreasonable.objects.get(case=case).decision == "pending"
    r = office.post(url(case, "unreasonable-decision"), {"approve": False, "note": "诉求合理"}, format="json")
    assert r.status_code == 200, r.content
    claim = Unreasonable.objects.get(case=case)
    assert (claim.decision, claim.note) == ("refused", "诉求合理")
    assert CaseEvent.objects.get(case=case, action=Action.UNREASONABLE_DECISION).data["approve"] is False
    assert "data-unreasonable" not in client.get(f"/cases/{case.pk}/").content.decode()
    body = {"reason": "补充材料后再次认定"}
    assert api.as_user(cast.township_staff).post(url(case, "unreasonable"), body, format="json").status_code == 200
    assert Unreasonable.objects.filter(case=case).count() == 2


def test_the_page_form_marks_too(client, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    client.force_login(cast.township_staff)
    r = client.post(f"/cases/{case.pk}/unreasonable/", {"unreasonable-reason": REASON})
    assert r.status_code == 302
    assert Unreasonable.objects.get(case=case).reason == REASON


def test_the_city_office_queue_lists_the_pending_claims(client, cast):
    waiting = RaisedCaseFactory(cast=cast, stage="unreasonable_pending")
    RaisedCaseFactory(cast=cast, stage="signed")
    client.force_login(cast.city_office)
    html = client.get("/cases/", {"tab": "city_unreasonable"}).content.decode()
    assert html.count('class="case-row"') == 1 and waiting.title in html


# --- the scores' selector ------------------------------------------------------------------------------------


def test_the_selector_finds_only_approved_claims(cast):
    approved = UnreasonableFactory(approved=True).case
    UnreasonableFactory()  # pending
    UnreasonableFactory(refused=True)
    untouched = RaisedCaseFactory(cast=cast, stage="signed")
    assert list(Case.objects.filter(unreasonable_approved()).values_list("pk", flat=True)) == [approved.pk]
    assert untouched.pk in Case.objects.exclude(unreasonable_approved()).values_list("pk", flat=True)
    assert approved.pk not in Case.objects.exclude(unreasonable_approved()).values_list("pk", flat=True)
    # From rows that point at a case (the scores count dispatches and events too).
    events = CaseEvent.objects.filter(unreasonable_approved("case_id"))
    assert set(events.values_list("case_id", flat=True)) <= {approved.pk}


def test_a_closed_case_is_not_marked_but_a_claim_still_waiting_is_decided(api, cast):
    """Closing does not end a claim: the score of the month the case closed in depends on the decision."""
    case = RaisedCaseFactory(cast=cast, stage="closed")
    desk = api.as_user(cast.township_staff)
    assert desk.post(url(case, "unreasonable"), {"reason": REASON}, format="json").status_code == 409
    UnreasonableFactory(case=case, requested_by=cast.township_staff)
    r = api.as_user(cast.city_office).post(url(case, "unreasonable-decision"), {"approve": True}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "closed"
    assert Case.objects.filter(unreasonable_approved(), pk=case.pk).exists()
