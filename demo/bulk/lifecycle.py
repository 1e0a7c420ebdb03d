"""One case's way round its loop, as the rows the services would have written.

A case is described by a timed path — (action, when, details) steps — and
``Lifecycle.apply`` walks it like cases.services does, with the app's own
rules rather than a copy of them: each step must be allowed from the status
the case is in (cases.transitions.check), leaves it in the status
cases.lifecycle_table.STATUS_AFTER names, starts the clock CLOCK_OF_STATUS
runs there (or keeps the deadline DEADLINE_FIXED_BY fixed earlier) with
cases.deadlines.due() on the fast Calendar, and writes its timeline event,
dispatch, extension, feedback and callback rows. Where a deadline passed
before the next step, the event the sweep would have written ("overdue", and
"supervise" five working days past the handle deadline, whatever the status)
is written at the moment the sweep would have run, in the sweep's words. A
case still open at the end of the history keeps the flags and the sweep
claims of that moment, so the next real sweep only finds what is new.
"""

import datetime
import json

from cases import deadlines
from cases.choices import CLOCK_OF_STATUS, Action, Clock, Level, Status
from cases.lifecycle_table import DEADLINE_FIXED_BY, STATUS_AFTER
from cases.sweep.timing import SUPERVISE_AFTER_WORKING_DAYS
from cases.transitions import check
from demo.bulk.calendar import DAY, Calendar
from demo.bulk.writer import Writer, stamp
from notifications import texts

SWEEP_LAG = 3  # minutes: the sweep runs every few minutes
# The deadlines a dispatch sets: the sign-for clock it starts and those it fixes ahead (handle); a
# return or an escalation drops them with the unit (cases.services.core.release_unit).
DISPATCH_CLOCKS = (
    CLOCK_OF_STATUS[STATUS_AFTER[Action.DISPATCH]],
    *(clock for clock, action in DEADLINE_FIXED_BY.items() if action == Action.DISPATCH),
)
# Working minutes per unit of a deadline, to place steps (clock time counts as working time here).
_MINUTES = {deadlines.WD: DAY, deadlines.WH: 60, deadlines.H: 60, deadlines.MIN: 1}


class Deadlines:
    """cases.deadlines.due() on the Calendar, with the admin's policy rows read once (one query)."""

    def __init__(self, calendar: Calendar):
        self.calendar = calendar
        self.table = deadlines.overrides()
        self.cache: dict[tuple[str, str, str], tuple[int, str]] = {}

    def rule(self, level: str, urgency: str, clock: str) -> tuple[int, str]:
        key = (level, urgency, clock)
        if key not in self.cache:
            self.cache[key] = deadlines.policy(level, urgency, clock, table=self.table)
        return self.cache[key]

    def due(self, start, level: str, urgency: str, clock: str):
        # deadlines.add with the policy looked up once per (level, urgency, clock): due() is called
        # millions of times at province scale.
        return deadlines.add(start, *self.rule(level, urgency, clock), calendar=self.calendar)

    def length(self, level: str, urgency: str, clock: str) -> float:
        """The clock's length in working minutes (clock time counted as working time: only used to place starts)."""
        amount, unit = self.rule(level, urgency, clock)
        return amount * _MINUTES[unit]


def _sweep_notes() -> tuple[dict[str, str], str]:
    """The sweep's own timeline notes in the site's language: overdue by clock (``{due}`` left to fill), supervise."""
    overdue = {
        clock: texts.render(texts.OVERDUE_EVENT_NOTE, clock=texts.render(label), due="{due}")
        for clock, label in Clock.choices
    }
    return overdue, texts.render(texts.SUPERVISE_EVENT_NOTE)


_td = datetime.timedelta


class Lifecycle:
    def __init__(self, writer: Writer, deadlines: Deadlines, code_prefix: str):
        self.w, self.d, self.cal, self.prefix = writer, deadlines, deadlines.calendar, code_prefix
        self.stats = {"open": 0, "overdue_open": 0}
        self.overdue_note, self.supervise_note = _sweep_notes()

    def apply(self, case: dict, steps: list[tuple], *, end) -> None:
        """Write ``case`` and its rows after walking ``steps``; ``end`` is the moment the history stops."""
        w = self.w
        c = case
        c.update(status="", clock="", due_at=None, overdue=False, supervised=False, outcome="", closed_at=None,
                 unit_id=None, dispatch_due=None, sign_due=None, handle_due=None, review_due=None,
                 feedback_due=None, callback_due=None)  # fmt: skip
        self.dispatch = None
        self.flagged = self.started = None
        attempts = 0
        last = c["created_at"]
        for action, at, info in steps:
            if action != Action.RAISE:
                self._sweep_until(c, at)
            last = at
            before = c["status"]
            if action not in (Action.RAISE, "extension"):  # the extension's two events are checked below
                check(action, before)
            unit = None
            note, data = info.get("note", ""), {}
            if action == "raise":
                if c["level"] == Level.ONSITE:
                    # Solved on the spot: raised with the feedback given there, and the callback too
                    # when the resident answered (cases.services.raising).
                    self._feedback(c, at, info["by"], info["feedback"], info.get("response", ""))
                    c["outcome"] = "solved"
                    if info.get("satisfaction"):
                        self._callback(c, at, info["by"], True, True, info["satisfaction"], "当场答复。", True)
                        self._start(c, STATUS_AFTER[Action.CALLBACK], at)
                        c["closed_at"] = at
                    else:
                        self._start(c, STATUS_AFTER[Action.FEEDBACK], at)
                    data = {"solved_on_site": True, "satisfaction": info.get("satisfaction", "")}
                else:
                    self._enter(c, action, at)
            elif action == "dispatch":
                unit = c["unit_id"] = info["unit"]
                self._enter(c, action, at)
                did = w.new_id("cases_dispatch")
                self.dispatch = [did, c["id"], c["level"], unit, info["by"], at, c["sign_due"], c["handle_due"],
                                 None, None, None, None, "", "", 0, None]  # fmt: skip
                data = {"dispatch": did, "assisting_units": [], "automatic": info["by"] is None}
            elif action == "escalate":
                self._release_unit(c)
                c["level"] = Level.CITY
                self._enter(c, action, at)
                data = {"from_level": Level.TOWNSHIP}
            elif action == "sign":
                self.dispatch[8] = at
                self._enter(c, action, at)
                unit = c["unit_id"]
            elif action == "return":
                unit = c["unit_id"]
                self.dispatch[9] = at
                self._end_dispatch()
                self._release_unit(c)
                self._enter(c, action, at)
            elif action == "extension":  # the request and its decision, two events
                check(Action.EXTENSION_REQUEST, before)
                unit = c["unit_id"]
                days, approve = info["days"], info["approve"]
                eid = w.new_id("cases_extension")
                request_event = (c["id"], Action.EXTENSION_REQUEST, info["handler"], before, before, c["level"], unit,
                                 info["reason"], {"extension": eid, "days": days}, at)  # fmt: skip
                self._event(*request_event)
                decided = info["decided_at"]
                self._sweep_until(c, decided)
                check(Action.EXTENSION_DECISION, c["status"])
                data = {"extension": eid, "days": days, "approve": approve}
                if approve:
                    # As case_extension_decide moves it: working days on from the current handle deadline.
                    self.dispatch[7] = self.cal.add_working_days(self.dispatch[7], days)
                    self.dispatch[14] += days
                    c["handle_due"] = self.dispatch[7]
                    if c["clock"] == Clock.HANDLE:
                        c["due_at"] = c["handle_due"]
                        c["overdue"] = c["handle_due"] <= decided
                        if not c["overdue"]:
                            self.flagged = None
                    data["handle_due"] = f"{c['handle_due'].isoformat()}+08:00"
                w.add("cases_extension", (eid, c["id"], self.dispatch[0], c["level"], days, info["reason"],
                                          info["handler"], stamp(at), "approved" if approve else "denied",
                                          info["by"], stamp(decided), ""))  # fmt: skip
                action, at, last = Action.EXTENSION_DECISION, decided, decided
            elif action == "reply":
                self.dispatch[10], self.dispatch[12], self.dispatch[13] = at, info["note"], info["outcome"]
                c["outcome"] = info["outcome"]
                self._enter(c, action, at)
                unit, data = c["unit_id"], {"outcome": info["outcome"]}
            elif action == "review_approve":
                self.dispatch[11] = at
                self._enter(c, action, at)
                unit = c["unit_id"]
            elif action == "review_reject":
                self.dispatch[10] = None
                c["outcome"] = ""
                self._enter(c, action, at)
                unit = c["unit_id"]
            elif action == "feedback":
                fid = self._feedback(c, at, info["by"], info["note"], info.get("response", ""), info["channel"])
                self._enter(c, action, at)
                data = {"feedback": fid, "channel": info["channel"]}
            elif action == "callback_attempt":
                attempts += 1
                cid = self._callback(c, at, info["by"], False, None, "", "电话无人接听", False)
                note, data = "电话无人接听", {"callback": cid, "attempt": attempts}
            elif action == "callback":
                cid = self._callback(c, at, info["by"], True, info["solved"], info["satisfaction"], "", True)
                c["closed_at"] = at
                self._enter(c, action, at)
                data = {"callback": cid, "reached": True, "solved": info["solved"],
                        "satisfaction": info["satisfaction"]}  # fmt: skip
            self._event(c["id"], action, info.get("by"), "" if action == "raise" else before, c["status"], c["level"],
                        unit, note, data, at)  # fmt: skip
        if c["status"] != Status.CLOSED:
            self._sweep_until(c, end)
            self.stats["open"] += 1
            if c["overdue"]:
                self.stats["overdue_open"] += 1
                rule = "feedback_overdue" if c["clock"] == Clock.FEEDBACK else "overdue"
                w.add("notifications_sweepclaim", (w.new_id("notifications_sweepclaim"), rule, c["id"], c["clock"],
                                                   stamp(c["due_at"]), None, None, "seed_demo",
                                                   stamp(self.flagged)))  # fmt: skip
        self._end_dispatch()
        self._write_case(c, last)

    # -- pieces ---------------------------------------------------------------------------------

    def _enter(self, c: dict, action: str, at) -> None:
        """Into the status ``action`` leads to (STATUS_AFTER), first fixing the deadlines it fixes ahead."""
        for clock, fixer in DEADLINE_FIXED_BY.items():
            if fixer == action:
                c[f"{clock}_due"] = self.d.due(at, c["level"], c["urgency"], clock)
        self._start(c, STATUS_AFTER[action], at)

    def _start(self, c: dict, status: str, at) -> None:
        """cases.services.core.start_clock."""
        c["status"] = status
        c["overdue"] = False
        self.flagged = None
        self.started = at
        clock = CLOCK_OF_STATUS.get(status)
        if clock is None:
            c["clock"], c["due_at"] = "", None
            return
        fixed = c[f"{clock}_due"] if clock in DEADLINE_FIXED_BY else None
        if fixed:
            due = fixed
        else:
            due = self.d.due(at, c["level"], c["urgency"], clock)
            c[f"{clock}_due"] = due
        c["clock"], c["due_at"] = clock, due

    @staticmethod
    def _release_unit(c: dict) -> None:
        """The case waits for a new dispatch: no unit, and the deadlines the dispatch set no longer run."""
        c["unit_id"] = None
        for clock in DISPATCH_CLOCKS:
            c[f"{clock}_due"] = None

    def _sweep_until(self, c: dict, at) -> None:
        """What the sweep did while the case waited until ``at``: flag overdue, supervise (cases.sweep.rules)."""
        due = c["due_at"]
        if due is None:
            return
        lag = _td(minutes=SWEEP_LAG)
        # A deadline fixed ahead may have passed before its clock runs (an emergency signed for after its
        # 24 hours): the sweep sees it once the clock runs.
        seen = max(due, self.started) + lag
        if not c["overdue"] and seen < at:
            c["overdue"] = True
            self.flagged = seen
            note = self.overdue_note[c["clock"]].format(due=due.strftime("%Y-%m-%d %H:%M"))
            self._event(c["id"], Action.OVERDUE, None, c["status"], c["status"], c["level"], c["unit_id"], note,
                        {"clock": c["clock"]}, seen)  # fmt: skip
        # Five working days past the handle deadline, whatever open status the case waits in, unless
        # the unit replied in time (cases.sweep.rules.supervise).
        handle_due = c["handle_due"]
        replied = self.dispatch[10] if self.dispatch else None
        if handle_due is not None and not c["supervised"] and not (replied and replied <= handle_due):
            when = self.cal.add_working_days(handle_due, SUPERVISE_AFTER_WORKING_DAYS) + lag
            if when < at:
                c["supervised"] = True
                self._event(c["id"], Action.SUPERVISE, None, c["status"], c["status"], c["level"], c["unit_id"],
                            self.supervise_note, {"automatic": True}, when)  # fmt: skip

    def _event(self, case_id, action, actor, from_status, to_status, level, unit, note, data, at) -> None:
        w = self.w
        w.add("cases_caseevent", (w.new_id("cases_caseevent"), case_id, action, actor, from_status, to_status, level,
                                  unit, note, json.dumps(data), stamp(at)))  # fmt: skip

    def _feedback(self, c, at, by, content, response, channel="visit") -> int:
        fid = self.w.new_id("cases_feedback")
        self.w.add("cases_feedback", (fid, c["id"], channel, content, response, by, stamp(at)))
        return fid

    def _callback(self, c, at, by, reached, solved, satisfaction, note, closes) -> int:
        cid = self.w.new_id("cases_callback")
        self.w.add("cases_callback", (cid, c["id"], reached, solved, satisfaction, note, closes, by, stamp(at), "desk"))
        return cid

    def _end_dispatch(self) -> None:
        d = self.dispatch
        if d is None:
            return
        # As case_review stores it: working hours from dispatch to the accepted reply.
        hours = self.cal.hours_between(d[5], d[10] or d[11]) if d[11] else None
        self.w.add("cases_dispatch", (*d[:5], *(stamp(x) for x in d[5:12]), *d[12:15], stamp(d[15]), hours))
        self.dispatch = None

    def _write_case(self, c: dict, last) -> None:
        created = c["created_at"]
        code = f"{self.prefix}-{created.year}-{c['id']:06d}"
        self.w.add("cases_case", (
            c["id"], code, c["title"], c["description"], c["category_id"], c["difficulty"], c["urgency"],
            c["source"], c["level"], c["status"], c["city_id"], c["township_id"], c["station_id"], c["officer_id"],
            c["created_by_id"], c["diary_id"], c["reporter_name"], c["reporter_phone"], c["reporter_address"],
            c["unit_id"], c["clock"], stamp(c["due_at"]), stamp(c["dispatch_due"]), stamp(c["sign_due"]),
            stamp(c["handle_due"]), stamp(c["review_due"]), stamp(c["feedback_due"]), stamp(c["callback_due"]),
            c["overdue"], c["supervised"], c["outcome"], stamp(created), stamp(last), stamp(c["closed_at"]),
            c.get("household_id"), False, False,
        ))  # fmt: skip
