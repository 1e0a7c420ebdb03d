"""Sign-in limits: per account (5 failures lock it for 10 minutes, QUALITY.md) and per source address.

Counted in the database so every web process sees the same count, whichever
door the attempt came through (login page, admin login, token endpoint: all
of them call ``authenticate``, whose backend, accounts.backends, calls this).

An attempt is counted *before* its password is checked, under a row lock,
and only taken back once the password proved right. Counting finished
failures instead let ten wrong passwords sent at once all pass the "locked?"
test while their hashes were being computed, and a right password sent just
after them got in and wiped the count. Now the attempts in flight fill the
budget: one that arrives while the budget is spent is refused and locks the
account, right password or not.

The address limit stops one machine from trying many usernames (and from
locking everyone's account in turn). A whole office behind one NAT address
shares it, hence a budget of 20 rather than 5 (settings.LOGIN_ADDRESS_*).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import AddressLock, LoginLock
from audit.services import audit_log, client_ip

ACCOUNT, ADDRESS = "account", "address"


@dataclass(frozen=True)
class Refusal:
    """Why an attempt was turned away, and until when. ``password_checked`` is False when the attempt was
    refused at the door (audited as "locked"), True when its own failure set the lock."""

    reason: str
    until: datetime.datetime
    password_checked: bool = False


@dataclass(frozen=True)
class _Limit:
    model: type[models.Model]
    field: str
    reason: str
    max_failures: int
    lock_for: datetime.timedelta
    audit_action: str


def _account_limit() -> _Limit:
    minutes = datetime.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    return _Limit(LoginLock, "username", ACCOUNT, settings.LOGIN_MAX_FAILURES, minutes, "account_locked")


def _address_limit() -> _Limit:
    minutes = datetime.timedelta(minutes=settings.LOGIN_ADDRESS_BLOCK_MINUTES)
    return _Limit(AddressLock, "address", ADDRESS, settings.LOGIN_ADDRESS_MAX_FAILURES, minutes, "address_blocked")


def _key(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def _row(limit: _Limit, value: str, now: datetime.datetime):
    """The counter row of ``value``, created if missing and locked until the transaction ends."""
    # INSERT … ON CONFLICT DO NOTHING, then lock: two first attempts at once cannot both create the row.
    limit.model.objects.bulk_create([limit.model(**{limit.field: value})], ignore_conflicts=True)
    row = limit.model.objects.select_for_update().get(**{limit.field: value})
    lock_over = row.locked_until is not None and row.locked_until <= now
    # The window is as long as the lock: failures older than that no longer count.
    window_over = row.locked_until is None and row.first_failure_at and now - row.first_failure_at > limit.lock_for
    if lock_over or window_over:
        row.failures, row.first_failure_at, row.locked_until = 0, None, None
    return row


def _lock(row, limit: _Limit, now: datetime.datetime, request) -> datetime.datetime:
    row.locked_until = now + limit.lock_for
    audit_log(action=limit.audit_action, username=getattr(row, "username", ""), outcome="locked", request=request,
              detail={"until": row.locked_until.isoformat()})  # fmt: skip
    return row.locked_until


def _admit(limit: _Limit, value: str, now: datetime.datetime, request) -> Refusal | None:
    """Count one attempt against ``value``, or refuse it when the budget is spent (attempts in flight included)."""
    row = _row(limit, value, now)
    if row.locked_until is not None:
        row.save(update_fields=["failures", "first_failure_at", "locked_until"])
        return Refusal(limit.reason, row.locked_until)
    if row.failures >= limit.max_failures:
        until = _lock(row, limit, now, request)
        row.save(update_fields=["failures", "first_failure_at", "locked_until"])
        return Refusal(limit.reason, until)
    row.failures += 1
    row.first_failure_at = row.first_failure_at or now
    row.save(update_fields=["failures", "first_failure_at", "locked_until"])
    return None


def attempt_begin(username: str | None, *, request=None) -> Refusal | None:
    """Before the password is checked: count the attempt, or say why it is refused.

    Commits at once (its own transaction), so concurrent attempts see it while this one's hash is computed.
    """
    key, address = _key(username), client_ip(request)
    now = timezone.now()
    with transaction.atomic():
        # Always the address row first, then the account row: one lock order, no deadlock.
        if address and (refusal := _admit(_address_limit(), address, now, request)):
            return refusal
        if key and (refusal := _admit(_account_limit(), key, now, request)):
            return refusal
    return None


def attempt_failed(username: str | None, *, request=None) -> Refusal | None:
    """After a wrong password (already counted): lock what reached its limit. Returns the account's lock, if any."""
    key, address = _key(username), client_ip(request)
    now = timezone.now()
    refusal = None
    with transaction.atomic():
        for limit, value in ((_address_limit(), address), (_account_limit(), key)):
            if not value:
                continue
            row = _row(limit, value, now)
            if row.failures == 0:  # reset by a success in the meantime: this failure starts a new count
                row.failures, row.first_failure_at = 1, now
            if row.failures >= limit.max_failures and row.locked_until is None:
                refusal = Refusal(limit.reason, _lock(row, limit, now, request), password_checked=True)
            row.save(update_fields=["failures", "first_failure_at", "locked_until"])
    return refusal


def attempt_succeeded(username: str | None, *, request=None) -> None:
    """After a right password: take this attempt back from the address, and clear the account's count
    unless the account got locked meanwhile (by the attempts in flight beside this one)."""
    key, address = _key(username), client_ip(request)
    now = timezone.now()
    with transaction.atomic():
        if address:
            AddressLock.objects.filter(address=address, failures__gt=0).update(failures=F("failures") - 1)
        if key:
            LoginLock.objects.filter(username=key).exclude(locked_until__gt=now).delete()


def locked_until(username: str | None) -> datetime.datetime | None:
    until = LoginLock.objects.filter(username=_key(username)).values_list("locked_until", flat=True).first()
    if until and until > timezone.now():
        return until
    return None


def refusal(request) -> Refusal | None:
    """Why ``authenticate`` turned this request's attempt away, if the limits did (set by the backend)."""
    return getattr(request, "login_refusal", None)


def reset(username: str | None) -> None:
    LoginLock.objects.filter(username=_key(username)).delete()
