"""Working time as plain numbers, for generating a year of deadlines fast.

core.workdays is the truth but answers one moment at a time (about half a
millisecond each); millions of deadlines need the same rules as arithmetic.
Times here are naive Asia/Shanghai wall-clock datetimes (China has no summer
time), and a "working minute" ordinal counts working time from the first day
of the calendar. The working periods (08:30–12:00, 13:30–17:30) are
core.workdays.PERIODS and the working-day flags come from
core.workdays.is_working_day, so hours, holidays, 调休 and the admin's
overrides are the same as the services'. It offers core.workdays' own
``add_working_days`` / ``add_working_hours``, so cases.deadlines.due() can
count on it (``calendar=``).
"""

import datetime

from core import workdays


def _minutes(t: datetime.time) -> int:
    return t.hour * 60 + t.minute


# The arithmetic below knows a morning and an afternoon: this unpacking fails loudly if PERIODS changes shape.
(_OPEN, _NOON), (_AFTERNOON, _CLOSE) = workdays.PERIODS
_OPEN_AT = _minutes(_OPEN)
MORNING = _minutes(_NOON) - _OPEN_AT  # working minutes before the lunch break
LUNCH = _minutes(_AFTERNOON) - _minutes(_NOON)
DAY = MORNING + _minutes(_CLOSE) - _minutes(_AFTERNOON)  # working minutes in a working day


class Calendar:
    def __init__(self, first: datetime.date, last: datetime.date):
        self.first = first
        days = []
        day = first
        while day <= last:
            if workdays.is_working_day(day):
                days.append(day)
            day += datetime.timedelta(days=1)
        self.days = days
        self.index = {d: i for i, d in enumerate(days)}
        # Any date → index of the first working day on or after it.
        self.next_index = {}
        j = 0
        day = first
        while day <= last:
            while j < len(days) and days[j] < day:
                j += 1
            self.next_index[day] = j
            day += datetime.timedelta(days=1)

    def is_working(self, day: datetime.date) -> bool:
        return day in self.index

    def ordinal(self, moment: datetime.datetime) -> float:
        """Working minutes before ``moment`` (a moment outside working time counts as the next opening)."""
        day = moment.date()
        i = self.index.get(day)
        if i is None:
            return self.next_index[day] * DAY
        minutes = moment.hour * 60 + moment.minute + (moment.second + moment.microsecond / 1e6) / 60 - _OPEN_AT
        if minutes <= 0:
            within = 0
        elif minutes < MORNING:
            within = minutes
        elif minutes < MORNING + LUNCH:
            within = MORNING
        elif minutes < DAY + LUNCH:
            within = minutes - LUNCH
        else:
            return (i + 1) * DAY
        return i * DAY + within

    def moment(self, ordinal: float) -> datetime.datetime:
        """The working moment ``ordinal`` minutes in; a boundary is the end of the period, like core.workdays."""
        i, within = divmod(ordinal, DAY)
        i = int(i)
        if within == 0 and i > 0:
            i, within = i - 1, DAY
        base = datetime.datetime.combine(self.days[i], _OPEN)
        if within <= MORNING:
            return base + datetime.timedelta(minutes=within)
        return base + datetime.timedelta(minutes=within + LUNCH)

    def opening(self, moment: datetime.datetime) -> datetime.datetime:
        ordinal = self.ordinal(moment)
        i, within = divmod(ordinal, DAY)
        base = datetime.datetime.combine(self.days[int(i)], _OPEN)
        return base + datetime.timedelta(minutes=within if within < MORNING else within + LUNCH)

    def add_working_days(self, moment: datetime.datetime, n: int) -> datetime.datetime:
        start = self.opening(moment)
        return datetime.datetime.combine(self.days[self.index[start.date()] + n], start.time())

    def add_working_hours(self, moment: datetime.datetime, hours: float) -> datetime.datetime:
        return self.moment(self.ordinal(moment) + hours * 60)

    def hours_between(self, start: datetime.datetime, end: datetime.datetime) -> float:
        return max(0.0, (self.ordinal(end) - self.ordinal(start)) / 60)
