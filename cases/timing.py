"""The running deadline in words a desk reads at a glance: 剩余 2 个工作日 / 已超期 3 小时."""

import datetime
import math

from django.utils.translation import gettext, ngettext

from cases.models import Case
from core import workdays


def remaining_text(case: Case, now: datetime.datetime) -> str:
    """Time left on the clock that runs now, in working days or hours; time past it in real hours or days."""
    if not case.due_at or case.status == "closed":
        return ""
    if getattr(case, "held_since", None) is not None:
        return gettext("On hold (挂账): the clock is stopped")
    if case.due_at <= now:
        late = now - case.due_at
        hours = late.total_seconds() / 3600
        if hours >= 24:
            days = int(hours // 24)
            return ngettext("%(n)d day overdue", "%(n)d days overdue", days) % {"n": days}
        hours_n = max(1, int(hours))
        return ngettext("%(n)d hour overdue", "%(n)d hours overdue", hours_n) % {"n": hours_n}
    left = workdays.working_hours_between(now, case.due_at)
    if left >= workdays.HOURS_PER_DAY:
        days = int(left // workdays.HOURS_PER_DAY)
        return ngettext("%(n)d working day left", "%(n)d working days left", days) % {"n": days}
    if left >= 1:
        hours_n = int(left)
        return ngettext("%(n)d working hour left", "%(n)d working hours left", hours_n) % {"n": hours_n}
    # Less than a working hour, or a clock counted in real time running through the night.
    real = (case.due_at - now).total_seconds()
    if real >= 3600:
        hours_n = int(real // 3600)
        return ngettext("%(n)d hour left", "%(n)d hours left", hours_n) % {"n": hours_n}
    minutes = max(1, math.ceil(real / 60))
    return ngettext("%(n)d minute left", "%(n)d minutes left", minutes) % {"n": minutes}
