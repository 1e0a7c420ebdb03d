"""Helpers shared by the sweep and notice tests: Shanghai moments, running the sweep, reading what it sent.

The cases they act on come from core.testing.factories (VillageCaseFactory).
"""

import datetime
import io
from collections import Counter
from zoneinfo import ZoneInfo

from django.core.management import call_command

from cases.models import Case
from notifications.models import Notification

TZ = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime.datetime:
    """A moment in Shanghai, e.g. at("2026-11-09 10:00")."""
    return datetime.datetime.fromisoformat(text).replace(tzinfo=TZ)


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
