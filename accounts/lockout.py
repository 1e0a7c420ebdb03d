"""Account lockout: 5 failed logins lock an account for 10 minutes (QUALITY.md).

Counted per username in PostgreSQL so every web process sees the same count,
whichever door the attempt came through (login page, token endpoint, admin).
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import LoginLock
from audit.services import audit_log

MAX_FAILURES = 5
LOCK_FOR = datetime.timedelta(minutes=10)
# Failures older than this no longer count towards a lock.
WINDOW = datetime.timedelta(minutes=10)


def _key(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def locked_until(username: str | None) -> datetime.datetime | None:
    until = LoginLock.objects.filter(username=_key(username)).values_list("locked_until", flat=True).first()
    if until and until > timezone.now():
        return until
    return None


@transaction.atomic
def register_failure(username: str | None, *, request=None) -> datetime.datetime | None:
    """Count one failure; lock the account on the fifth. Returns the lock's end, if locked now."""
    key = _key(username)
    if not key:
        return None
    now = timezone.now()
    lock, _created = LoginLock.objects.select_for_update().get_or_create(username=key)
    if (
        lock.first_failure_at is None
        or now - lock.first_failure_at > WINDOW
        or (lock.locked_until and lock.locked_until <= now)
    ):
        lock.failures, lock.first_failure_at, lock.locked_until = 0, now, None
    lock.failures = F("failures") + 1
    lock.save(update_fields=["failures", "first_failure_at", "locked_until"])
    lock.refresh_from_db(fields=["failures"])
    if lock.failures >= MAX_FAILURES and lock.locked_until is None:
        lock.locked_until = now + LOCK_FOR
        lock.save(update_fields=["locked_until"])
        audit_log(action="account_locked", username=key, outcome="locked", request=request,
                  detail={"until": lock.locked_until.isoformat()})  # fmt: skip
        return lock.locked_until
    return None


def reset(username: str | None) -> None:
    LoginLock.objects.filter(username=_key(username)).delete()
