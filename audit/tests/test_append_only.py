import pytest
from django.db import DatabaseError, transaction

from audit.models import AuditEvent
from audit.services import audit_log

pytestmark = pytest.mark.django_db


@pytest.mark.postgres  # the append-only trigger is PostgreSQL's
def test_audit_rows_cannot_be_changed_or_deleted():
    event = audit_log(action="login", username="someone")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(outcome="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).outcome == "ok"
