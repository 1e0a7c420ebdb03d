"""Helpers shared by the sweep and notice tests: cases written as the case services leave them."""

import datetime
import io
from collections import Counter
from zoneinfo import ZoneInfo

from django.core.management import call_command

from cases.models import Case, Category
from notifications.models import Notification

TZ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    """A moment in Shanghai, e.g. at("2026-11-09 10:00")."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=TZ)


def make_case(
    cast, *, status: str, clock: str, due: str | datetime.datetime, level: str = "township",
    urgency: str = "normal", unit=None, officer="cast", supervised: bool = False, title: str = "村口道路坑洼",
) -> Case:  # fmt: skip
    category, _ = Category.objects.get_or_create(code="test.road", defaults={"name": "道路"})
    due_at = at(due) if isinstance(due, str) else due
    case = Case.objects.create(
        title=title, category=category, urgency=urgency, level=level, status=status, city=cast.city,
        township=cast.township, station=cast.village, officer=cast.officer if officer == "cast" else officer,
        created_by=cast.officer, unit=unit, clock=clock, due_at=due_at, supervised=supervised,
        created_at=due_at - datetime.timedelta(days=20), **{f"{clock}_due": due_at},
    )  # fmt: skip
    case.code = f"SZ-2026-{case.pk:06d}"
    Case.objects.filter(pk=case.pk).update(code=case.code)
    return case


def sweep_at(moment: str) -> str:
    out = io.StringIO()
    call_command("sweep_deadlines", at=at(moment).isoformat(), stdout=out)
    return out.getvalue()


def received(kind: str | None = None, case: Case | None = None) -> list[tuple[str, str]]:
    """(username, kind) of every notice, sorted: duplicates show up twice."""
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    if case:
        rows = rows.filter(case=case)
    return sorted(rows.values_list("recipient__username", "kind"))


def duplicates() -> dict:
    """Any notice that exists more than once for one person and one subject (deadline or silence)."""
    counts = Counter(
        Notification.objects.values_list("recipient_id", "case_id", "kind", "claim__due_at", "claim__since")
    )
    return {key: n for key, n in counts.items() if n > 1}
