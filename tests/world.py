"""The objects the access matrix acts on: one of each in township A, and one in township B."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from cases import services
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


# The status each case action needs, and how the world's case A gets there (through the services,
# the way people would take it): the matrix then sees 403 from the roles that may not act, not 409.
_STEPS = [
    ("pending_sign", lambda w, pk: services.case_dispatch(case_id=pk, by=w.township_staff, unit=w.office)),
    ("in_progress", lambda w, pk: services.case_sign(case_id=pk, by=w.office_handler)),
    ("extension_asked", lambda w, pk: services.case_extension_request(case_id=pk, by=w.office_handler, days=2,
                                                                      reason="需要协调施工队")),
    ("pending_review", lambda w, pk: services.case_reply(case_id=pk, by=w.office_handler, result="已修补",
                                                         outcome="solved")),
    ("pending_feedback", lambda w, pk: services.case_review(case_id=pk, by=w.township_staff, approve=True)),
    ("pending_callback", lambda w, pk: services.case_feedback(case_id=pk, by=w.officer, channel="visit",
                                                              content="已告知处理结果")),
    ("closed_unhappy", lambda w, pk: services.case_callback(case_id=pk, by=w.township_staff, reached=True,
                                                            solved=False, satisfaction="unsatisfied")),
]  # fmt: skip
STAGE_FOR_ACTION = {
    "sign": "pending_sign", "return": "pending_sign", "extension": "in_progress", "reply": "in_progress",
    "extension-decision": "extension_asked", "review": "pending_review", "feedback": "pending_feedback",
    "callback": "pending_callback", "redo": "closed_unhappy",
}  # fmt: skip


def case_for(world, action: str) -> int:
    """Case A's id, first moved on to the status the action needs (once per test)."""
    stage = STAGE_FOR_ACTION.get(action)
    done = getattr(world, "case_stage", None)
    if stage is None or done == stage:
        return world.case_a.pk
    names = [name for name, _step in _STEPS]
    start = names.index(done) + 1 if done else 0
    for name, step in _STEPS[start : names.index(stage) + 1]:
        step(world, world.case_a.pk)
        world.case_stage = name
    return world.case_a.pk
