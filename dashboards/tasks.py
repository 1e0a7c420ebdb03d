"""Background work of the dashboards: the nightly roll-up, hotspot detection, large exports.

Each task takes ids (or nothing), is safe to run twice, and is scheduled by
name (the beat schedule lives with the notifications app's settings).
"""

from celery import shared_task

from dashboards.models import HotspotKind
from dashboards.services.exports import export_run
from dashboards.services.hotspots import hotspots_detect, hotspots_detect_all
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
    """Recompute the hotspots of one city, or of every city; answers how many hotspots (常态问题 left out)."""
    from accounts.models import OrgUnit

    if city_id is None:
        return hotspots_detect_all()
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
