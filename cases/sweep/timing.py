"""When the sweep's rules come due: reminder leads on the working calendar, and "N working days past"."""

import datetime
from dataclasses import dataclass

from cases import deadlines
from cases.choices import Clock, Level, Urgency
from cases.sweep.sql import dt, quoted
from core import workdays


@dataclass(frozen=True)
class Lead:
    hours: float
    working: bool  # working time (core.workdays) or clock time

    def cutoff(self, now: datetime.datetime) -> datetime.datetime:
        """The latest deadline that is at most this lead away from ``now``."""
        if self.working:
            return workdays.add_working_hours(now, self.hours)
        return now + datetime.timedelta(hours=self.hours)


# (first reminder, last reminder) by urgency; see the docstring of cases.sweep.
LEADS = {
    Urgency.NORMAL: (Lead(workdays.HOURS_PER_DAY, True), Lead(2, True)),
    Urgency.URGENT: (Lead(2, True), Lead(0.5, True)),
    Urgency.EMERGENCY: (Lead(1, False), Lead(0.25, False)),
}


SUPERVISE_AFTER_WORKING_DAYS = 5


def reminder_windows(now: datetime.datetime) -> tuple[tuple[str, dict], tuple[str, dict]]:
    """SQL conditions (with params) for the last and the first reminder, across urgencies.

    The last reminder: the deadline is ahead and within its lead. The first:
    within the first lead but not yet within the last one.
    """
    lengths = _clock_lengths()
    last_terms, first_terms, params = [], [], {}
    for urgency, (first, last) in LEADS.items():
        params[f"last_{urgency}"], params[f"first_{urgency}"] = dt(last.cutoff(now)), dt(first.cutoff(now))
        windows = (
            (last, last_terms, "%(now)s", f"%(last_{urgency})s"),
            (first, first_terms, f"%(last_{urgency})s", f"%(first_{urgency})s"),
        )
        for lead, terms, after, until in windows:
            combos = [key for key, length in lengths[urgency].items() if lead.hours < length(lead.working)]
            if combos:
                terms.append(
                    f"(c.urgency = '{urgency}' AND c.due_at > {after} AND c.due_at <= {until}"
                    f" AND (c.level || ':' || c.clock) IN ({quoted(combos)}))"
                )
    return (" OR ".join(last_terms), params), (" OR ".join(first_terms), params)


def _clock_lengths() -> dict:
    """urgency → "level:clock" → how long the clock runs, in hours of working or of clock time.

    From the admin's DeadlinePolicy rows (one query) or LIFECYCLE.md's defaults, as cases.deadlines.policy says.
    """
    table = deadlines.overrides()
    per_hour = {deadlines.WH: 1, deadlines.H: 1, deadlines.MIN: 1 / 60}
    lengths: dict = {}
    for urgency in Urgency.values:
        for level in Level.values:
            for clock in Clock.values:
                amount, unit = deadlines.policy(level, urgency, clock, table=table)

                def length(working: bool, amount=amount, unit=unit) -> float:
                    if unit == deadlines.WD:
                        return amount * (workdays.HOURS_PER_DAY if working else 24)
                    return amount * per_hour[unit]

                lengths.setdefault(urgency, {})[f"{level}:{clock}"] = length
    return lengths


def latest_start(now: datetime.datetime, done_by_now) -> datetime.datetime:
    """The latest moment ``t`` with ``done_by_now(t)``, for a test that holds up to some moment and not after.

    Used to turn "five working days past the deadline" into one indexed
    bound on the deadline column: working-day arithmetic is monotonic, so a
    binary search to the microsecond finds the exact bound.
    """
    low, high = now - datetime.timedelta(days=120), now
    if done_by_now(high):
        return high
    while not done_by_now(low):
        low -= datetime.timedelta(days=120)
    while high - low > datetime.timedelta(microseconds=1):
        middle = low + (high - low) / 2
        if done_by_now(middle):
            low = middle
        else:
            high = middle
    return low
