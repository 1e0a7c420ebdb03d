"""The objects the access matrix acts on: one of each in township A, and one in township B."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from cases.models import Project
from cases.services import case_raise
from dashboards.models import Export, Hotspot, HotspotCase
from demo.categories import seed_categories
from diaries.models import DiaryEntry, Photo
from notifications.models import Notification

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _diary(officer, station):
    return DiaryEntry.objects.create(
        officer=officer, station=station, township_id=station.township_id, city_id=station.city_id,
        visit_date=timezone.localdate() - datetime.timedelta(days=1), visit_type="household", content="走访记录",
    )  # fmt: skip


def build_world(cast):
    road = seed_categories()["infra.road"]
    common = {"category": road, "urgency": "normal", "description": "雨天积水", "reporter_phone": "13812345678"}
    cast.case_a = case_raise(
        by=cast.officer, title="村口道路坑洼", township=cast.township, station=cast.village, **common
    )
    cast.case_b = case_raise(
        by=cast.officer_b, title="桥面破损", township=cast.township_b, station=cast.village_b, **common
    )
    cast.diary_a = _diary(cast.officer, cast.village)
    cast.diary_b = _diary(cast.officer_b, cast.village_b)
    cast.photo_a = Photo(entry=cast.diary_a, content_type="image/jpeg", size=len(JPEG))
    cast.photo_a.file.save("a.jpg", ContentFile(JPEG), save=True)
    cast.photo_b = Photo(entry=cast.diary_b, content_type="image/jpeg", size=len(JPEG))
    cast.photo_b.file.save("b.jpg", ContentFile(JPEG), save=True)
    # One notice each, and one that belongs to the outsider only.
    for user in {u.pk: u for u in cast.by_role().values()}.values():
        Notification.objects.create(recipient=user, kind="test", title="测试消息")
    cast.notice_b = Notification.objects.create(recipient=cast.officer_b, kind="test", title="别人的消息")
    cast.project = Project.objects.create(title="道路整治", city=cast.city, created_by=cast.city_office)
    cast.hotspot = Hotspot.objects.create(
        city=cast.city, category=road, title="道路坑洼", townships=3, residents=3, cases_count=2, score=0.8,
        detected_at=timezone.now(),
    )  # fmt: skip
    HotspotCase.objects.create(hotspot=cast.hotspot, case=cast.case_a, similarity=1.0)
    HotspotCase.objects.create(hotspot=cast.hotspot, case=cast.case_b, similarity=0.8)
    # Each signed-in user's own export, and one that is nobody's but the outsider's.
    cast.exports = {}
    for user in {u.pk: u for u in cast.by_role().values()}.values():
        export = Export(owner=user, kind="cases", status="done", rows=1)
        export.file.save("cases.xlsx", ContentFile(b"PK\x03\x04"), save=True)
        cast.exports[user.pk] = export
    return cast


def own_notice(world) -> int:
    return Notification.objects.filter(recipient=world.me).values_list("pk", flat=True).first() or world.notice_b.pk


def own_export(world) -> int:
    return world.exports[world.me.pk].pk if world.me else world.exports[world.township_staff_b.pk].pk
