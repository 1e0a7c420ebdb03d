import pytest

from audit.models import AuditEvent
from audit.services import audit_log
from core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.postgres  # the append-only trigger is PostgreSQL's
def test_deleting_a_user_keeps_their_audit_rows_unchanged():
    user = UserFactory(username="short_lived", roles=["officer"])
    event, user_id = audit_log(action="login", user=user), user.pk
    user.delete()
    row = AuditEvent.objects.select_related("user").get(pk=event.pk)
    assert row.username == "short_lived" and row.user_id == user_id and row.user is None
