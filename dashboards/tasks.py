"""Background work of the dashboards: the nightly roll-up, hotspot detection, large exports.

Each task takes ids (or nothing), is safe to run twice, and is scheduled by
name (the beat schedule lives with the notifications app's settings).
"""

from celery import shared_task

from dashboards.models import HotspotKind
from dashboards.services.exports import export_run
from dashboards.services.hotspots import hotspots_detect
from dashboards.services.rollup import rollup_nightly


@shared_task(
    name="dashboards.tasks.rollup_yesterday",
    autoretry_for=(Exception,), max_retries=3, retry_backoff=60, retry_jitter=True,
    soft_time_limit=1800, time_limit=2000, expires=6 * 3600,
)  # fmt: skip
def rollup_yesterday() -> list[str]:
    """Yesterday's figures, plus earlier days changed since the last run (rolling a day again is harmless)."""
    return [day.isoformat() for day in rollup_nightly()]


@shared_task(
    name="dashboards.tasks.detect_hotspots",
    autoretry_for=(Exception,), max_retries=2, retry_backoff=120, retry_jitter=True,
    soft_time_limit=600, time_limit=660, expires=6 * 3600,
)  # fmt: skip
def detect_hotspots(city_id: int | None = None) -> int:
    """One city's hotspots, answering how many (常态问题 left out). With no city (the nightly run), one task
    per active city is queued instead, answering how many: cities share nothing, so the workers detect
    them side by side and a province's night takes its largest city's time, not the sum."""
    from accounts.models import OrgKind, OrgUnit

    if city_id is None:
        cities = list(OrgUnit.objects.filter(kind=OrgKind.CITY, is_active=True).values_list("pk", flat=True))
        for pk in cities:
            detect_hotspots.delay(pk)
        return len(cities)
    city = OrgUnit.objects.filter(pk=city_id).first()
    return sum(h.kind == HotspotKind.HOTSPOT for h in hotspots_detect(city=city)) if city else 0


@shared_task(name="dashboards.tasks.build_export", soft_time_limit=600, time_limit=660)
def build_export(export_id: int) -> None:
    """A large spreadsheet; a row already claimed or gone is left alone."""
    export_run(export_id)


@shared_task(
    name="dashboards.tasks.freeze_monthly_reports",
    autoretry_for=(Exception,), max_retries=2, retry_backoff=300, retry_jitter=True,
    soft_time_limit=1800, time_limit=2000, expires=12 * 3600,
)  # fmt: skip
def freeze_monthly_reports() -> int:
    """Last month's report of every city and township, frozen once (those frozen already are left alone)."""
    import datetime

    from django.utils import timezone

    from dashboards.report import freeze_month

    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return freeze_month(last_month)
