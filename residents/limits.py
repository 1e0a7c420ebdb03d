"""Abuse limits of the residents' channel (RESIDENTS.md "Abuse and bad input").

Requests are counted from their own rows (no cache is configured): per phone over the last
24 hours and per source address over the last hour. The count and the write happen under
PostgreSQL advisory locks (the phone's and the address's) held to the end of the intake's
transaction, so a burst of simultaneous requests cannot all read "one left" and all pass.

Addresses are kept only as a keyed hash (``address_hash``): the per-address limit needs to
recognise an address again, nobody needs to read it back.
"""

import datetime
import hashlib
import hmac

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from residents.models import ResidentRequest, TrackingMiss

# The captcha is asked once a phone or an address is this close to its limit.
CAPTCHA_MARGIN = 2
# Wrong tracking look-ups per address within TRACKING_WINDOW before it has to wait.
TRACKING_MISSES = 5
TRACKING_WINDOW = datetime.timedelta(minutes=15)
# The two advisory-lock spaces (pg_advisory_xact_lock(space, key)) of the limit checks: per phone, per address.
_PHONE_LOCKS = 0x6D71_7201
_ADDRESS_LOCKS = 0x6D71_7202


class LimitReached(Exception):
    """Too many requests: answered 429 with ``message``."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def per_phone() -> int:
    return settings.RESIDENT_LIMIT_PER_PHONE_PER_DAY


def per_address() -> int:
    return settings.RESIDENT_LIMIT_PER_ADDRESS_PER_HOUR


def address_hash(ip: str | None) -> str:
    """A keyed hash of the source address: recognisable again, not reversible without the secret key."""
    return hmac.new(settings.SECRET_KEY.encode(), (ip or "").encode(), hashlib.sha256).hexdigest()


def _lock_key(value: str) -> int:
    """A signed 32-bit key for one phone or address (a collision only makes two strangers queue)."""
    return int.from_bytes(hashlib.sha256(value.encode()).digest()[:4], "big", signed=True)


def lock_intake(*, phone: str, address: str) -> None:
    """Serialise the intakes of this phone and of this address to the end of the current transaction, so a
    burst from either cannot all read "one left" (PostgreSQL; SQLite writes one at a time). Residents with
    another phone and address do not wait: one lock for the whole channel made every request in the province
    queue behind the one being written (p95 1.3 s at 50 a second). The phone's lock is always taken before
    the address's, so two intakes never wait for each other in a circle."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if phone:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_PHONE_LOCKS, _lock_key(phone)])
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_ADDRESS_LOCKS, _lock_key(address)])


def _counts(*, phone: str, address: str, now: datetime.datetime) -> tuple[int, int]:
    """Requests of the phone in the last day (0 without a phone) and of the address in the last hour."""
    by_phone = (
        ResidentRequest.objects.filter(
            phone_tail=phone[-4:], created_at__gt=now - datetime.timedelta(days=1), case__reporter_phone=phone
        ).count()
        if phone
        else 0
    )
    by_address = ResidentRequest.objects.filter(
        address_hash=address, created_at__gt=now - datetime.timedelta(hours=1)
    ).count()
    return by_phone, by_address


def check_raise(*, phone: str, address: str, now: datetime.datetime, captcha_answered: bool = True) -> None:
    """Refuse a request past either limit, or near one (where the page asks for a captcha) when it came
    where no captcha can be answered (the API). Call under ``lock_intake``: counted once, under the lock,
    so the two checks agree and cannot be raced."""
    by_phone, by_address = _counts(phone=phone, address=address, now=now)
    if by_phone >= per_phone():
        raise LimitReached(
            _(
                "This phone number has sent %(n)d requests today, the most we take in a day. Please try again tomorrow, or call your officer."
            )
            % {"n": per_phone()}
        )
    if by_address >= per_address():
        raise LimitReached(_("Too many requests have come from this network in the last hour. Please try again later."))
    if not captcha_answered and _near(by_phone, by_address):
        raise LimitReached(
            _("Many requests came from this phone or network. Please use the form on the station's page.")
        )


def _near(by_phone: int, by_address: int) -> bool:
    return by_phone >= per_phone() - CAPTCHA_MARGIN or by_address >= per_address() - CAPTCHA_MARGIN


def captcha_needed(*, phone: str, address: str, now: datetime.datetime) -> bool:
    """Near a limit (within CAPTCHA_MARGIN of either), the page asks for the picture's letters too."""
    return _near(*_counts(phone=phone, address=address, now=now))


def tracking_blocked(*, address: str, now: datetime.datetime) -> bool:
    """After TRACKING_MISSES wrong look-ups in TRACKING_WINDOW, an address waits for the window to pass."""
    return TrackingMiss.objects.filter(address_hash=address, at__gt=now - TRACKING_WINDOW).count() >= TRACKING_MISSES


def tracking_missed(*, address: str, now: datetime.datetime) -> None:
    TrackingMiss.objects.create(address_hash=address, at=now)


def tracking_misses_prune(*, now: datetime.datetime) -> int:
    """Forget wrong look-ups older than the window: they no longer slow anyone, and the table stays small."""
    return TrackingMiss.objects.filter(at__lte=now - TRACKING_WINDOW).delete()[0]


def tracking_wait_message() -> str:
    return _("Too many tries. Please wait %(minutes)d minutes and try again.") % {
        "minutes": int(TRACKING_WINDOW.total_seconds() // 60)
    }
