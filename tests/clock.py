"""The suite's pinned clock, in one place: conftest.py's ``clock`` fixture and broader fixtures use it.

Every test runs at one pinned moment, a calm working Wednesday morning, so no
result depends on when the suite happens to run. `make test` runs the
time-sensitive tests again at awkward moments by setting MINQING_TEST_CLOCK
(README, "Clock lanes"). The clock ticks on from there, so timeouts, sleeps
and the browser still see time pass.
"""

import datetime
import os

import time_machine

DEFAULT_CLOCK = "2026-11-25T10:00:00+08:00"


def pinned_moment() -> datetime.datetime:
    raw = os.environ.get("MINQING_TEST_CLOCK") or DEFAULT_CLOCK
    moment = datetime.datetime.fromisoformat(raw)
    if moment.tzinfo is None:
        raise ValueError(f"MINQING_TEST_CLOCK needs a UTC offset, got {raw!r}")
    return moment


def pinned() -> time_machine.travel:
    """A context manager that runs its block at the pinned moment (for module- and session-scoped fixtures,
    which are set up before the per-test ``clock`` fixture)."""
    return time_machine.travel(pinned_moment(), tick=True)
