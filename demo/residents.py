"""The demo's residents' channel: a 民情码 for every station, and a history of requests residents raised
through them (source resident, with tracking codes), mostly answered and rated by the residents themselves
(callback channel ``self``) at believable rates: about nine in ten satisfied, a few unsatisfied (redo-able),
a few marked 无效.

The requests come in through the residents' own intake (residents.intake.request_raise, as the
/r/<token>/ form sends them), are moved along by the ordinary services, and are rated through the
tracking page's service (residents.rating.request_rate): the demo takes the same paths a resident does.
"""

import datetime
import random

from django.utils import timezone

from accounts.models import STATION_KINDS, OrgKind, OrgUnit, User
from accounts.roles import Role
from cases import services as case_services
from cases.choices import Status
from cases.models import Case, Category
from residents.codes import code_for, current_assignments, resident_path
from residents.intake import plain_categories, request_raise
from residents.models import ResidentRequest, StationCode
from residents.rating import request_rate

# Requests residents raise across the city over the history; their fates, in order of likelihood.
REQUESTS = 60
INVALID_SHARE = 0.05
UNSATISFIED_SHARE = 0.1

TOPICS = (
    ("infra.road", "巷口路灯不亮", "晚上回家路上很黑，老人走路不方便，请帮忙修一下。"),
    ("infra.road", "村道有大坑", "下雨后积水很深，电动车容易摔倒。"),
    ("environment.waste", "垃圾桶满了没人清", "小区门口垃圾桶好几天没清运，味道很大。"),
    ("environment.waste", "河边有人乱倒垃圾", "河道边堆了建筑垃圾，希望尽快清理。"),
)


def seed_resident_codes(city: OrgUnit) -> int:
    """A StationCode for every station of the city; returns how many there are."""
    stations = OrgUnit.objects.filter(city=city, kind__in=STATION_KINDS)
    for station in stations:
        code_for(station)
    return StationCode.objects.filter(station__city=city).count()


def demo_resident_url(city: OrgUnit) -> str:
    """One resident URL to print beside the demo logins (the first village's code)."""
    code = (
        StationCode.objects.filter(station__city=city, station__kind=OrgKind.VILLAGE).order_by("station__code").first()
    )
    return resident_path(code) if code else ""


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def build_resident_history(city: OrgUnit, *, seed: int, days: int = 60) -> int:
    """Residents' requests over the last ``days`` days; skipped when the city has some already."""
    if ResidentRequest.objects.filter(case__city=city).exists():
        return 0
    rng = random.Random(seed + 17)
    categories = {c.code: c for c in Category.objects.filter(code__in={t[0] for t in TOPICS})}
    plain_codes = {c.code for c in plain_categories()}
    assignments = list(current_assignments().filter(station__city=city).select_related("station", "officer"))
    if not assignments or not categories:
        return 0
    today = timezone.localdate()
    made = 0
    for _n in range(REQUESTS):
        a = rng.choice(assignments)
        desk = User.objects.filter(org_unit=a.station.township, roles__role=Role.TOWNSHIP_STAFF).first()
        if desk is None:
            continue
        topic, _title, text = rng.choice([t for t in TOPICS if t[0] in categories])
        day = today - datetime.timedelta(days=rng.randrange(3, days))
        phone = f"15{rng.randrange(10**9):09d}"
        plain = topic.split(".")[0]
        made_request = request_raise(
            token=code_for(a.station).token, content=text, phone=phone, consent=True,
            category=plain if plain in plain_codes else None, name=rng.choice(("", "王阿姨", "李师傅", "陈大伯")),
            now=_at(day, 9), ip=f"10.20.{_n // 200}.{_n % 200 + 1}",  # each from its own phone and network
        )  # fmt: skip
        case = made_request.case
        made += 1
        _move_along(made_request, rng, day, today, desk=desk, officer=case.officer)
    return made


def _move_along(request, rng: random.Random, day: datetime.date, today: datetime.date, *, desk, officer) -> None:
    case_id = request.case_id
    step = lambda days, hour: _at(day + datetime.timedelta(days=days), hour)  # noqa: E731
    if rng.random() < INVALID_SHARE:
        case_services.case_mark_invalid(case_id=case_id, by=desk, kind="duplicate",
                                       reason="同一户已就此事提交过，按重复件处理", now=step(0, 11))  # fmt: skip
        return
    age = (today - day).days
    if age < 2:
        return
    case = Case.objects.get(pk=case_id)
    unit = case.unit  # the routing rules may have dispatched it on raising
    if case.status == Status.PENDING_DISPATCH:
        township = desk.org_unit.township
        unit = OrgUnit.objects.filter(township=township, kind=OrgKind.TOWNSHIP_OFFICE).order_by("code").first()
        if unit is None:
            return
        case_services.case_dispatch(case_id=case_id, by=desk, unit=unit, now=step(0, 14))
    handler = User.objects.filter(org_unit=unit, roles__role=Role.UNIT_HANDLER).first()
    if handler is None:
        return
    case_services.case_sign(case_id=case_id, by=handler, now=step(1, 9))
    if age < 6:
        return
    case_services.case_reply(case_id=case_id, by=handler, result="已安排人员处理", outcome="solved", now=step(4, 10))
    case_services.case_review(case_id=case_id, by=desk, approve=True, now=step(4, 15))
    case_services.case_feedback(case_id=case_id, by=officer, channel="phone", content="已电话告知办理结果",
                                now=step(5, 10))  # fmt: skip
    if age < 8 or rng.random() < 0.15:
        return  # not rated yet
    unhappy = rng.random() < UNSATISFIED_SHARE
    satisfaction = "unsatisfied" if unhappy else rng.choice(("satisfied",) * 4 + ("basically_satisfied",))
    # The resident rates it on the tracking page.
    request_rate(request=request, solved=not unhappy, satisfaction=satisfaction,
                 comment="问题还没彻底解决" if unhappy else "", now=step(6, 20))  # fmt: skip
