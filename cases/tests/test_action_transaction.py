"""A case action is one transaction: the change, its event, its notices and its audit row, or none of them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from cases.models import Case, CaseEvent
from core.testing.factories import RaisedCaseFactory
from notifications.models import Notification

REPLY = {"result": "已修补路面", "outcome": "solved"}


@pytest.mark.django_db(transaction=True)
def test_a_reply_through_the_api_takes_at_most_twelve_statements_and_reads_the_case_once(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    client = api.as_user(cast.office_handler)
    # transaction=True: the statements a production request sends, BEGIN and COMMIT included.
    with CaptureQueriesContext(connection) as ctx:
        r = client.post(f"/api/v1/cases/{case.pk}/reply/", REPLY, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "pending_review"
    statements = [q["sql"] for q in ctx.captured_queries]
    assert len(statements) <= 12, "\n".join(s[:120] for s in statements)
    case_reads = [s for s in statements if s.lstrip().startswith("SELECT") and 'FROM "cases_case"' in s]
    assert len(case_reads) == 1, case_reads
    assert "FOR UPDATE" in case_reads[0]
    assert Notification.objects.filter(case=case, kind="case.reply").exists()
    assert AuditEvent.objects.filter(action="case_reply", outcome="ok").count() == 1


@pytest.mark.django_db(transaction=True)
def test_when_the_audit_row_cannot_be_written_the_action_did_not_happen(api, cast, monkeypatch):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    events = CaseEvent.objects.filter(case=case).count()

    def broken(**kwargs):
        if kwargs["outcome"] == "ok":
            raise RuntimeError("audit store unavailable")

    monkeypatch.setattr("cases.actions.taking.audit_log", broken)
    client = api.as_user(cast.office_handler)
    client.raise_request_exception = False
    r = client.post(f"/api/v1/cases/{case.pk}/reply/", REPLY, format="json")
    assert r.status_code == 500
    assert Case.objects.get(pk=case.pk).status == "in_progress"
    assert CaseEvent.objects.filter(case=case).count() == events
    assert not Notification.objects.filter(case=case, kind="case.reply").exists()


@pytest.mark.django_db(transaction=True)
def test_when_its_notices_fail_neither_the_action_nor_its_audit_row_is_kept(api, cast, monkeypatch):
    case = RaisedCaseFactory(cast=cast, stage="signed")

    def broken(event, case):
        raise RuntimeError("notices failed")

    monkeypatch.setattr("cases.notices.notify_event", broken)
    client = api.as_user(cast.office_handler)
    client.raise_request_exception = False
    r = client.post(f"/api/v1/cases/{case.pk}/reply/", REPLY, format="json")
    assert r.status_code == 500
    assert Case.objects.get(pk=case.pk).status == "in_progress"
    assert not AuditEvent.objects.filter(action="case_reply", outcome="ok").exists()
    assert not CaseEvent.objects.filter(case=case, action="reply").exists()
