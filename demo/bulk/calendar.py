"""Working time as plain numbers, for generating a year of deadlines fast.

core.workdays is the truth but answers one moment at a time (about half a
millisecond each); millions of deadlines need the same rules as arithmetic.
Times here are naive Asia/Shanghai wall-clock datetimes (China has no summer
time), and a "working minute" ordinal counts working time from the first day
of the calendar: a working day is 450 minutes, 08:30–12:00 then 13:30–17:30.
The working-day flags come from core.workdays.is_working_day, so holidays,
调休 and the admin's overrides are the same as the services'.
"""

import datetime

from core import workdays

DAY = 450  # working minutes in a working day
MORNING = 210  # 08:30–12:00
_OPEN = datetime.time(8, 30)


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
        minutes = moment.hour * 60 + moment.minute + (moment.second + moment.microsecond / 1e6) / 60 - 510
        if minutes <= 0:
            within = 0
        elif minutes < MORNING:
            within = minutes
        elif minutes < MORNING + 90:
            within = MORNING
        elif minutes < MORNING + 90 + 240:
            within = minutes - 90
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
        return base + datetime.timedelta(minutes=within + 90)

    def opening(self, moment: datetime.datetime) -> datetime.datetime:
        ordinal = self.ordinal(moment)
        i, within = divmod(ordinal, DAY)
        base = datetime.datetime.combine(self.days[int(i)], _OPEN)
        return base + datetime.timedelta(minutes=within if within < MORNING else within + 90)

    def add_days(self, moment: datetime.datetime, n: int) -> datetime.datetime:
        start = self.opening(moment)
        return datetime.datetime.combine(self.days[self.index[start.date()] + n], start.time())

    def add_hours(self, moment: datetime.datetime, hours: float) -> datetime.datetime:
        return self.moment(self.ordinal(moment) + hours * 60)

    def hours_between(self, start: datetime.datetime, end: datetime.datetime) -> float:
        return max(0.0, (self.ordinal(end) - self.ordinal(start)) / 60)
