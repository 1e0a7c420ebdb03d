"""Deactivating an officer leaves nothing without an owner (HOUSEHOLDS.md "Handover"): the admin refuses
a bare deactivation while the officer holds stations or open cases, and the handover moves both to an
officer of the same township, with timeline events and an audit row, all or nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone

from accounts.admin_forms import UserAdminChangeForm
from accounts.handover import officer_handover
from accounts.models import StationAssignment, User
from audit.models import AuditEvent
from cases import services
from cases.actions import ACTIONS
from cases.choices import Action, Status
from cases.models import Case, CaseEvent
from core.testing.factories import RaisedCaseFactory, UserFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(cast):
    """The cast's officer holds the village and three cases: one waiting for feedback, one just raised,
    and one closed (which stays theirs)."""
    return {
        "waiting": RaisedCaseFactory(cast=cast, stage="approved"),
        "raised": RaisedCaseFactory(cast=cast, stage="raised", title="路灯不亮"),
        "closed": RaisedCaseFactory(cast=cast, stage="closed", title="垃圾清运"),
    }


@pytest.fixture
def successor(cast):
    # Of the township's own office: an officer of 甘霖镇 with no station yet.
    return UserFactory(username="officer_next", roles=["officer"], org_unit=cast.office, name="陈接班")


def _unticked(user: User) -> dict:
    initial = UserAdminChangeForm(instance=user).initial
    return {k: v for k, v in initial.items() if v is not None and k not in ("is_active", "password")}


def test_unticking_active_is_refused_with_the_counts_and_the_way_to_hand_over(cast, work):
    form = UserAdminChangeForm(instance=cast.officer, data=_unticked(cast.officer))
    assert not form.is_valid()
    message = str(form.errors["is_active"][0])
    assert "周建国 还有 2 件未办结的民情事项和 1 个驻点任职" in message, message
    assert f'href="/admin/accounts/user/{cast.officer.pk}/handover/"' in message
    assert User.objects.get(pk=cast.officer.pk).is_active


def test_an_officer_holding_nothing_is_deactivated_as_before(cast):
    idle = UserFactory(username="officer_idle", roles=["officer"], org_unit=cast.department)
    form = UserAdminChangeForm(instance=idle, data=_unticked(idle))
    assert form.is_valid(), form.errors


def test_the_handover_page_shows_what_will_move_and_moves_it(client, cast, work, successor):
    client.force_login(cast.admin)
    url = f"/admin/accounts/user/{cast.officer.pk}/handover/"
    page = client.get(url).content.decode()
    assert "东溪村" in page and "路灯不亮" in page and "垃圾清运" not in page
    assert "陈接班" in page and "冯志刚" not in page  # only officers of the same township are offered
    response = client.post(url, {"successor": successor.pk})
    assert response.status_code == 302, response.content.decode()[-1500:]

    today = timezone.localdate()
    assert not User.objects.get(pk=cast.officer.pk).is_active
    old = StationAssignment.objects.get(officer=cast.officer)
    new = StationAssignment.objects.get(officer=successor)
    assert old.end == today
    assert (new.station, new.kind, new.dispatching_unit, new.start, new.end) == (
        cast.village, old.kind, old.dispatching_unit, today, None,
    )  # fmt: skip
    moved = [work["waiting"].pk, work["raised"].pk]
    assert set(Case.objects.filter(officer=successor).values_list("pk", flat=True)) == set(moved)
    assert Case.objects.get(pk=work["closed"].pk).officer == cast.officer
    events = CaseEvent.objects.filter(action=Action.HANDOVER).order_by("case_id")
    assert [(e.case_id, e.actor, e.from_status, e.to_status) for e in events] == [
        (work["waiting"].pk, cast.admin, Status.PENDING_FEEDBACK, Status.PENDING_FEEDBACK),
        (work["raised"].pk, cast.admin, Status.PENDING_DISPATCH, Status.PENDING_DISPATCH),
    ]
    assert Notification.objects.filter(recipient=successor, kind="case.handover").count() == 2
    audit = AuditEvent.objects.get(action="officer_handover")
    assert (audit.user, audit.object_id, audit.detail["successor"]) == (cast.admin, str(cast.officer.pk), successor.pk)
    assert sorted(audit.detail["cases"]) == sorted(moved)


def test_the_successor_gives_the_feedback_and_the_old_officer_no_longer_can(cast, work, successor):
    officer_handover(officer=cast.officer, successor=successor, by=cast.admin)
    case = Case.objects.get(pk=work["waiting"].pk)
    feedback = ACTIONS["feedback"]
    now = timezone.now()
    old = User.objects.get(pk=cast.officer.pk)
    assert feedback.is_offered(successor, case, now) and not feedback.is_offered(old, case, now)
    services.case_feedback(case_id=case.pk, by=successor, channel="visit", content="已告知")
    assert Case.objects.get(pk=case.pk).status == Status.PENDING_CALLBACK


def test_a_successor_from_another_township_is_refused(client, cast, work):
    with pytest.raises(ValidationError) as refused:
        officer_handover(officer=cast.officer, successor=cast.officer_b, by=cast.admin)
    assert "甘霖镇" in str(refused.value)
    client.force_login(cast.admin)
    response = client.post(f"/admin/accounts/user/{cast.officer.pk}/handover/", {"successor": cast.officer_b.pk})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert User.objects.get(pk=cast.officer.pk).is_active
    assert not Case.objects.filter(officer=cast.officer_b).exists()
    assert StationAssignment.objects.get(officer=cast.officer).end is None


def test_nothing_is_half_written_when_a_step_fails(cast, work, successor, monkeypatch):
    def broken(**kwargs):
        raise DatabaseError("audit trail unavailable")

    monkeypatch.setattr("accounts.handover.audit_log", broken)
    with pytest.raises(DatabaseError):
        officer_handover(officer=cast.officer, successor=successor, by=cast.admin)
    assert User.objects.get(pk=cast.officer.pk).is_active
    assert StationAssignment.objects.get(officer=cast.officer).end is None
    assert not StationAssignment.objects.filter(officer=successor).exists()
    assert not Case.objects.filter(officer=successor).exists()
    assert not CaseEvent.objects.filter(action=Action.HANDOVER).exists()
    assert not Notification.objects.filter(recipient=successor).exists()
