"""The care schedule's arithmetic (HOUSEHOLDS.md "Next visit due"), written once.

A record's interval is the shortest of its tags' intervals; records with one are key
records. Next visit due = last linked visit + interval; a key record never visited is
due at once (the day it became key, taken as the day it was created or last changed).
Services store the results on the record (``interval_days``, ``last_visit_on``,
``next_visit_due``) so the sweep, the picker and the figures read them without joins.
"""

import datetime
from collections.abc import Iterable


def interval_of(intervals: Iterable[int | None]) -> int | None:
    """The shortest interval among the tags', or None when no tag carries one."""
    given = [days for days in intervals if days]
    return min(given) if given else None


def next_due(*, interval_days: int | None, last_visit_on: datetime.date | None, key_since: datetime.date):
    """When the record is next to be visited; None for a record that is not a key record."""
    if interval_days is None:
        return None
    if last_visit_on is None:
        return key_since
    return last_visit_on + datetime.timedelta(days=interval_days)
