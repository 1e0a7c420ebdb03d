"""One case's way round its loop, as the rows the services would have written.

A case is described by a timed path — (action, when, details) steps — and
``Lifecycle.apply`` walks it like cases.services does: each step changes the
status, starts the clock of the new status with the same deadline rules
(cases.deadlines, through the fast Calendar), and writes its timeline event,
dispatch, extension, feedback and callback rows. Where a running deadline
passed before the next step, the event the sweep would have written
("overdue", and "supervise" five working days past a handle deadline) is
written at the moment the sweep would have run. A case still open at the
end of the history keeps the flags and the sweep claims of that moment, so
the next real sweep only finds what is new.
"""

import datetime
import json

from cases.choices import CLOCK_OF_STATUS, Clock, Level, Status
from cases.deadlines import policy
from demo.bulk.calendar import Calendar
from demo.bulk.writer import Writer, stamp

WD, WH, H = "working_days", "working_hours", "hours"
SWEEP_LAG = 3  # minutes: the sweep runs every few minutes
SUPERVISE_AFTER = 5  # working days past the handle deadline (cases.sweep.timing)
OVERDUE_NOTE = "{clock}时限已过（{due}）。"
SUPERVISE_NOTE = "超过办理时限五个工作日，自动督办。"
CLOCK_LABELS = {
    "dispatch": "派单",
    "sign": "签收",
    "handle": "办理",
    "review": "审核",
    "feedback": "反馈",
    "callback": "回访",
}


class Deadlines:
    """cases.deadlines.due() on the Calendar, with the policy rows read once."""

    def __init__(self, calendar: Calendar):
        self.calendar = calendar
        self.cache = {}

    def rule(self, level: str, urgency: str, clock: str) -> tuple[int, str]:
        key = (level, urgency, clock)
        if key not in self.cache:
            self.cache[key] = policy(level, urgency, clock)
        return self.cache[key]

    def due(self, start, level: str, urgency: str, clock: str):
        amount, unit = self.rule(level, urgency, clock)
        if unit == WD:
            return self.calendar.add_days(start, amount)
        if unit == WH:
            return self.calendar.add_hours(start, amount)
        if unit == H:
            return start + _td(hours=amount)
        return start + _td(minutes=amount)

    def length(self, level: str, urgency: str, clock: str) -> float:
        """The clock's length in working minutes (clock time counted as working time: only used to place starts)."""
        amount, unit = self.rule(level, urgency, clock)
        return amount * {WD: 450, WH: 60, H: 60}.get(unit, 1)


_td = datetime.timedelta


class Lifecycle:
    def __init__(self, writer: Writer, deadlines: Deadlines, code_prefix: str):
        self.w, self.d, self.cal, self.prefix = writer, deadlines, deadlines.calendar, code_prefix
        self.stats = {"open": 0, "overdue_open": 0}

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
            if action != "raise":
                self._sweep_until(c, at)
            last = at
            before = c["status"]
            unit = None
            note, data = info.get("note", ""), {}
            if action == "raise":
                if c["level"] == Level.ONSITE:
                    self._feedback(c, at, info["by"], info["feedback"], info.get("response", ""))
                    c["outcome"] = "solved"
                    if info.get("satisfaction"):
                        self._callback(c, at, info["by"], True, True, info["satisfaction"], "当场答复。", True)
                        self._start(c, Status.CLOSED, at)
                        c["closed_at"] = at
                    else:
                        self._start(c, Status.PENDING_CALLBACK, at)
                    data = {"solved_on_site": True, "satisfaction": info.get("satisfaction", "")}
                else:
                    self._start(c, Status.PENDING_DISPATCH, at)
            elif action == "dispatch":
                unit = c["unit_id"] = info["unit"]
                c["handle_due"] = self.d.due(at, c["level"], c["urgency"], Clock.HANDLE)
                self._start(c, Status.PENDING_SIGN, at)
                did = w.new_id("cases_dispatch")
                self.dispatch = [did, c["id"], c["level"], unit, info["by"], at, c["sign_due"], c["handle_due"],
                                 None, None, None, None, "", "", 0, None]  # fmt: skip
                data = {"dispatch": did, "assisting_units": [], "automatic": info["by"] is None}
            elif action == "escalate":
                c["unit_id"] = c["sign_due"] = c["handle_due"] = None
                c["level"] = Level.CITY
                self._start(c, Status.PENDING_DISPATCH, at)
                data = {"from_level": Level.TOWNSHIP}
            elif action == "sign":
                self.dispatch[8] = at
                self._start(c, Status.IN_PROGRESS, at)
                unit = c["unit_id"]
            elif action == "return":
                unit = c["unit_id"]
                self.dispatch[9] = at
                self._end_dispatch()
                c["unit_id"] = c["sign_due"] = c["handle_due"] = None
                self._start(c, Status.PENDING_DISPATCH, at)
            elif action == "extension":
                unit = c["unit_id"]
                days, approve = info["days"], info["approve"]
                eid = w.new_id("cases_extension")
                request_event = (c["id"], "extension_request", info["handler"], before, before, c["level"], unit,
                                 info["reason"], {"extension": eid, "days": days}, at)  # fmt: skip
                self._event(*request_event)
                decided = info["decided_at"]
                self._sweep_until(c, decided)
                data = {"extension": eid, "days": days, "approve": approve}
                if approve:
                    self.dispatch[7] = self.cal.add_days(self.dispatch[7], days)
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
                action, at, last = "extension_decision", decided, decided
            elif action == "reply":
                self.dispatch[10], self.dispatch[12], self.dispatch[13] = at, info["note"], info["outcome"]
                c["outcome"] = info["outcome"]
                self._start(c, Status.PENDING_REVIEW, at)
                unit, data = c["unit_id"], {"outcome": info["outcome"]}
            elif action == "review_approve":
                self.dispatch[11] = at
                self._start(c, Status.PENDING_FEEDBACK, at)
                unit = c["unit_id"]
            elif action == "review_reject":
                self.dispatch[10] = None
                c["outcome"] = ""
                self._start(c, Status.IN_PROGRESS, at)
                unit = c["unit_id"]
            elif action == "feedback":
                fid = self._feedback(c, at, info["by"], info["note"], info.get("response", ""), info["channel"])
                self._start(c, Status.PENDING_CALLBACK, at)
                data = {"feedback": fid, "channel": info["channel"]}
            elif action == "callback_attempt":
                attempts += 1
                cid = self._callback(c, at, info["by"], False, None, "", "电话无人接听", False)
                note, data = "电话无人接听", {"callback": cid, "attempt": attempts}
            elif action == "callback":
                cid = self._callback(c, at, info["by"], True, info["solved"], info["satisfaction"], "", True)
                c["closed_at"] = at
                self._start(c, Status.CLOSED, at)
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
        if clock == Clock.HANDLE and c["handle_due"]:
            due = c["handle_due"]
        else:
            due = self.d.due(at, c["level"], c["urgency"], clock)
            c[f"{clock}_due"] = due
        c["clock"], c["due_at"] = clock, due

    def _sweep_until(self, c: dict, at) -> None:
        """What the sweep did while the case waited until ``at``: flag overdue, supervise."""
        due = c["due_at"]
        if due is None:
            return
        # A deadline fixed ahead may have passed before its clock runs (an emergency signed for after its
        # 24 hours): the sweep sees it once the clock runs.
        seen = max(due, self.started) + _td(minutes=SWEEP_LAG)
        if not c["overdue"] and seen < at:
            c["overdue"] = True
            self.flagged = seen
            note = OVERDUE_NOTE.format(clock=CLOCK_LABELS[c["clock"]], due=due.strftime("%Y-%m-%d %H:%M"))
            self._event(c["id"], "overdue", None, c["status"], c["status"], c["level"], c["unit_id"], note,
                        {"clock": c["clock"]}, seen)  # fmt: skip
        if c["clock"] == Clock.HANDLE and not c["supervised"]:
            when = self.cal.add_days(due, SUPERVISE_AFTER) + _td(minutes=SWEEP_LAG)
            if when < at:
                c["supervised"] = True
                self._event(c["id"], "supervise", None, c["status"], c["status"], c["level"], c["unit_id"],
                            SUPERVISE_NOTE, {"automatic": True}, when)  # fmt: skip

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
        self.w.add("cases_callback", (cid, c["id"], reached, solved, satisfaction, note, closes, by, stamp(at)))
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
        ))  # fmt: skip
