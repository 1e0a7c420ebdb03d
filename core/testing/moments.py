"""Moments in Asia/Shanghai that test data is written at.

The suite's own clock is pinned in the root conftest; these are the moments
the data says things happened at, kept apart from it so a test reads them.
"""

import datetime
from zoneinfo import ZoneInfo

SH = ZoneInfo("Asia/Shanghai")
# A Monday morning well clear of holidays: deadlines are easy to read.
MONDAY = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=SH)


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=SH)
