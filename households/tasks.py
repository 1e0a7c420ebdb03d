"""Retention of the ledger (HOUSEHOLDS.md, PIPL art. 19): inactive records lose their personal data.

A record that moved away or closed more than its city's ``ledger_retention_years`` ago has its name,
address, phone, contact, notes and credit code cleared; the visits and cases linked to it lose the
resident's name, phone and address too, so the history stays, anonymous. Set-based: a few UPDATEs per
city whatever the number of records, and running it twice changes nothing more.
"""

import datetime

from celery import shared_task
from django.db import transaction
from django.db.models import Case as Choose
from django.db.models import Value, When
from django.utils import timezone

from accounts.models import CitySettings, OrgKind, OrgUnit
from cases.models import Case
from diaries.models import Visit
from households.models import Household, RecordKind, RecordStatus

DEFAULT_YEARS = CitySettings._meta.get_field("ledger_retention_years").default
# Stored, not translated: the row is data of a Chinese county, whatever language a later reader uses.
ANONYMOUS_HOUSEHOLD = "匿名"
CLOSED_ENTERPRISE = "已注销"


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@transaction.atomic
def anonymize_city(city_id: int, *, now: datetime.datetime | None = None) -> int:
    """Clear the personal data of the city's records inactive for more than its retention period; how many."""
    now = now or timezone.now()
    years = (
        CitySettings.objects.filter(city_id=city_id).values_list("ledger_retention_years", flat=True).first()
        or DEFAULT_YEARS
    )
    cutoff = years_before(timezone.localdate(now), years)
    due = Household.objects.filter(city_id=city_id, anonymized_at__isnull=True, inactive_since__lt=cutoff).exclude(
        status=RecordStatus.ACTIVE
    )
    # The linked rows first: they are found through the records not yet marked.
    Visit.objects.filter(household__in=due.values("pk")).update(name=ANONYMOUS_HOUSEHOLD, phone="", address="")
    Case.objects.filter(household__in=due.values("pk")).update(reporter_name="", reporter_phone="", reporter_address="")
    name = Choose(When(kind=RecordKind.ENTERPRISE, then=Value(CLOSED_ENTERPRISE)), default=Value(ANONYMOUS_HOUSEHOLD))
    return due.update(
        name=name, address="", phone="", contact="", notes="", credit_code="", anonymized_at=now, updated_at=now
    )


@shared_task(
    name="households.anonymize_inactive",
    acks_late=True, reject_on_worker_lost=True,  # idempotent: a run lost with its worker runs again
    autoretry_for=(Exception,), max_retries=3, retry_backoff=300, retry_jitter=True,
    soft_time_limit=1800, time_limit=2000, expires=12 * 3600,
)  # fmt: skip
def anonymize_inactive(city_id: int | None = None) -> int:
    """The nightly run: every active city (or one), each in its own transaction; how many records were cleared."""
    if city_id is not None:
        return anonymize_city(city_id)
    cities = OrgUnit.objects.filter(kind=OrgKind.CITY, is_active=True).values_list("pk", flat=True)
    return sum(anonymize_city(pk) for pk in cities)
