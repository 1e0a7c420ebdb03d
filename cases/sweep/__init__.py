"""The deadline sweep (LIFECYCLE.md, "What the periodic sweep enforces").

Deadlines live in the database (``Case.clock`` / ``Case.due_at``); beat runs
this every few minutes and nothing depends on a countdown task. Each rule
is a handful of set-based statements over the whole table in its own
transaction: claim what is due (INSERT … SELECT … ON CONFLICT DO NOTHING
into notifications.SweepClaim), apply its effect, write the notices and
their outbox rows. The claim and the notices commit together, so a rule
fires once per (case, clock, deadline) — or (officer, silent since) —
however often the sweep runs, on however many workers, and whether or not
a worker died half-way: a rule that did not commit is simply done again.
The number of queries does not depend on the number of cases. (The SQL is
assembled from constants and choice values only; every value travels as a
parameter, hence the S608 waivers.)

Reminders ("24 h and 2 h before, scaled down for urgent") count working
time on the official calendar (core.workdays), so a deadline after a
holiday is announced before the holiday, not during it:

    urgency     first reminder                       last reminder
    normal      1 working day (7.5 working hours)    2 working hours
    urgent      2 working hours                      30 working minutes
    emergency   1 hour                               15 minutes   (clock time: emergencies run round the clock)

A reminder fires when the working time left is at most its lead. A lead
that is not shorter than the clock itself (e.g. "one working day before"
a one-day clock) is skipped: it would arrive together with the case. When
the sweep first sees a case already inside the last reminder's window,
only the last reminder is sent.
"""

import datetime
import logging

from django.db import DatabaseError, transaction
from django.utils import timezone

from cases.sweep import projects, rules
from cases.sweep.firing import Sweep
from cases.sweep.timing import LEADS, reminder_windows
from households import care
from notifications import outbox

__all__ = ["LEADS", "SweepIncomplete", "sweep"]

logger = logging.getLogger(__name__)


def sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every rule once as if the clock read ``now``; answer how many subjects each rule claimed."""
    state = Sweep(now=now or timezone.now())
    late, early = reminder_windows(state.now)
    failed = []
    for name, rule in (
        # First: a case released now gets its reminders and flags in this same run.
        ("release_holds", lambda: rules.release_holds(state)),
        ("remind_last", lambda: rules.remind(state, "remind_last", late)),
        ("remind_first", lambda: rules.remind(state, "remind_first", early)),
        ("overdue", lambda: rules.overdue(state)),
        ("feedback_overdue", lambda: rules.feedback_overdue(state)),
        ("supervise", lambda: rules.supervise(state)),
        ("order_overdue", lambda: rules.overdue_orders(state)),
        ("silent_officer", lambda: rules.silent_officers(state)),
        ("unflagged", lambda: rules.unflag_moved_deadlines(state)),
        ("project_late", lambda: projects.late_milestones(state)),
        # The care schedule of key household records (HOUSEHOLDS.md), not of cases.
        ("care_soon", lambda: care.remind_due_soon(state.now)),
        ("care_overdue", lambda: care.tell_overdue(state.now)),
    ):
        # One rule failing (a bug, a lock timeout) must not keep the others
        # from running; it rolled back and is simply tried again next time.
        try:
            with transaction.atomic():
                state.counts[name] = rule()
        except DatabaseError:
            logger.exception("deadline sweep: rule %s failed and will be retried by the next sweep", name)
            failed.append(name)
    if any(state.counts.get(name) for name in state.counts if name != "unflagged"):
        from notifications.tasks import deliver_pending

        outbox.publish(deliver_pending)
    if failed:
        raise SweepIncomplete(failed)
    return state.counts


class SweepIncomplete(Exception):
    """Some rules failed this time (logged); the others ran and committed."""
