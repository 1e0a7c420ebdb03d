"""A few months of believable history for the demo county, written through the services.

Going through the same services as the pages means the demo's timelines,
dispatch facts, notices and metrics are exactly what real use would produce.
"""

import datetime
import random

from django.conf import settings
from django.utils import timezone

from accounts import services as account_services
from accounts.models import OrgKind, OrgUnit, StationAssignment, User
from accounts.roles import Role
from cases import services as case_services
from cases.choices import Status
from cases.models import Case, Category
from dashboards.models import TownshipBoundary
from demo.boundaries import point_inside
from demo.org import password_hash
from demo.oversight import stage_oversight
from diaries.models import DiaryEntry
from diaries.services import DiaryData, IssueData, VisitData, diary_create

TOPICS = [
    ("infra.road", "村道路面坑洼", "村口主干道路面多处坑洼，雨天积水，老人小孩出行不便。"),
    ("infra.water", "自来水水压不足", "高处几户人家早晚用水高峰时水压不足，基本接不上水。"),
    ("agri.irrigation", "灌溉渠道堵塞", "田边灌溉渠被淤泥和杂草堵塞，下游农田放水困难。"),
    ("dispute.neighbour", "邻里宅基地边界争议", "两户因院墙位置发生争执，希望村里出面调解。"),
    ("environment.waste", "垃圾清运不及时", "村东垃圾收集点满溢，清运车三天没来，气味很大。"),
    ("welfare.elderly", "独居老人生活困难", "独居老人行动不便，希望了解居家养老服务的申请办法。"),
    ("enterprise.staffing", "企业招工难", "企业扩产需招熟练工三十名，希望对接人社部门招聘会。"),
    ("safety.hazard", "路灯损坏存在隐患", "桥头两盏路灯损坏，夜间行人和电动车通行有安全隐患。"),
    ("policy.general", "医保缴费政策咨询", "群众询问今年城乡居民医保缴费标准和缴费渠道。"),
]


def _ensure_desks(city: OrgUnit, password: str) -> None:
    """A desk for every township and a handler for every responsible unit, so every case can move."""
    for unit in OrgUnit.objects.filter(city=city, kind__in=[OrgKind.TOWNSHIP, OrgKind.PARK, OrgKind.TOWNSHIP_OFFICE,
                                                             OrgKind.DEPARTMENT]):  # fmt: skip
        role = Role.UNIT_HANDLER if unit.kind in (OrgKind.TOWNSHIP_OFFICE, OrgKind.DEPARTMENT) else Role.TOWNSHIP_STAFF
        username = f"{unit.code.lower()}_{'handler' if role == Role.UNIT_HANDLER else 'desk'}"
        if not User.objects.filter(username=username).exists():
            user = User(username=username, name=f"{unit.name}值班员", org_unit=unit)
            user.password = password_hash(password)
            user.save()
            account_services.user_set_roles(user=user, roles=[role])


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def build_history(city: OrgUnit, *, seed: int, password: str) -> int:
    """Diaries over the last DEMO_HISTORY_DAYS days and their cases moved along; skipped when history exists."""
    if DiaryEntry.objects.filter(city=city).exists():
        return 0
    _ensure_desks(city, password)
    rng = random.Random(seed)
    categories = {c.code: c for c in Category.objects.all()}
    today = timezone.localdate()
    assignments = list(
        StationAssignment.objects.filter(station__city=city, end__isnull=True).select_related("officer", "station")
    )
    # 一张图: most entries carry the phone's place, inside the station's township (its own RNG, so the
    # rest of the history is what it was before places were added).
    places = random.Random(seed + 7)
    outlines = {b.township_id: b for b in TownshipBoundary.objects.filter(township__city=city)}
    written = 0
    for offset in range(settings.DEMO_HISTORY_DAYS, 0, -1):
        day = today - datetime.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for a in rng.sample(assignments, k=max(1, len(assignments) // 14)):
            issues = []
            for _ in range(rng.choice((0, 0, 1, 1, 2))):
                code, title, text = rng.choice(TOPICS)
                on_site = rng.random() < 0.35
                issues.append(IssueData(
                    title=title, category=categories[code], urgency=rng.choice(("normal",) * 8 + ("urgent",)),
                    description=text, reporter_name=rng.choice("张王李赵陈周吴") + rng.choice(("大伯", "阿姨", "师傅")),
                    reporter_phone=f"13{rng.randrange(10**9):09d}", solved_on_site=on_site,
                    resolution="当场协调解决" if on_site else "", feedback="已当面告知处理结果" if on_site else "",
                    satisfaction=rng.choice(("satisfied", "basically_satisfied", "")) if on_site else "",
                ))  # fmt: skip
            kind = "enterprise" if a.kind == "enterprise" else "household"
            outline = outlines.get(a.station.township_id)
            place = point_inside(outline, places) if outline is not None and places.random() < 0.85 else (None, None)
            data = DiaryData(
                station=a.station, visit_date=day, visit_type=kind,
                content=f"走访{a.station.name}，了解生产生活情况，宣传惠民政策，收集群众意见建议。",
                visits=[VisitData(kind=kind, name=a.station.name if kind == "enterprise" else "农户")],
                issues=issues,
                latitude=place[0], longitude=place[1],
            )  # fmt: skip
            entry = diary_create(officer=a.officer, data=data, now=_at(day, 16))
            written += 1
            for case in entry.cases.all():
                _move_along(case, rng, day, today)
    stage_oversight(city)
    return written


def _move_along(case: Case, rng: random.Random, day: datetime.date, today: datetime.date) -> None:
    """Take a township case some way round its loop, like a month of real work would."""
    if case.status != Status.PENDING_DISPATCH:
        return
    desk = User.objects.filter(org_unit=case.township, roles__role=Role.TOWNSHIP_STAFF).first()
    unit = OrgUnit.objects.filter(township=case.township, kind=OrgKind.TOWNSHIP_OFFICE).order_by("code").first()
    handler = User.objects.filter(org_unit=unit, roles__role=Role.UNIT_HANDLER).first()
    age = (today - day).days
    if not (desk and handler) or age < 2 or rng.random() < 0.1:
        return
    step = lambda days, hour: _at(day + datetime.timedelta(days=days), hour)  # noqa: E731
    case_services.case_dispatch(case_id=case.pk, by=desk, unit=unit, now=step(1, 9))
    case_services.case_sign(case_id=case.pk, by=handler, now=step(1 if rng.random() < 0.85 else 3, 14))
    if age < 8:
        return
    late = rng.random() < 0.15
    case_services.case_reply(case_id=case.pk, by=handler, result="已现场核实并处理完毕", outcome="solved",
                             now=step(9 if late else 4, 10))  # fmt: skip
    if age < 12:
        return
    case_services.case_review(case_id=case.pk, by=desk, approve=True, now=step(10, 11))
    officer = case.officer or desk
    case_services.case_feedback(case_id=case.pk, by=officer, channel="visit", content="已上门告知办理结果",
                                now=step(11, 15))  # fmt: skip
    if age < 15:
        return
    case_services.case_callback(case_id=case.pk, by=desk, reached=True, solved=True,
                                satisfaction=rng.choice(("satisfied",) * 6 + ("basically_satisfied", "unsatisfied")),
                                now=step(13, 10))  # fmt: skip
