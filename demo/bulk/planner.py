"""Timed paths round the loops: a whole path for a case that closed, a cut one for a case still open.

Gaps are drawn in working minutes and laid on the Calendar, so work happens
in office hours. Each responsible unit has its own habits (how often it
signs late, replies late, returns a case), which gives the rankings their
spread. Probabilities below are per case unless said otherwise.
"""

from cases.choices import CLOCK_OF_STATUS, Clock, Level, Status, Urgency
from cases.deadlines import MAX_EXTENSION_DAYS
from cases.lifecycle_table import DEADLINE_FIXED_BY, STATUS_AFTER
from demo.bulk import texts
from demo.bulk.calendar import DAY
from demo.bulk.context import city_unit, township_unit
from demo.bulk.lifecycle import Deadlines

P_RETURN, P_EXTENSION, P_EXTENSION_APPROVED, P_REJECT, P_UNREACHED = 0.03, 0.06, 0.85, 0.05, 0.06
CHANNELS = ["visit", "visit", "phone", "phone", "wechat", "sms"]
# An extension asks for 3 to 10 working days, within the cap of cases.deadlines (one per case here,
# so the cap on their number holds too).
EXTENSION_DAYS = (3, min(10, MAX_EXTENSION_DAYS))
# Statuses an open case may wait in, with weights, by what its deadline will do at the next sweep.
OPEN_MIX = {
    "newly": {Status.PENDING_DISPATCH: 15, Status.PENDING_SIGN: 15, Status.IN_PROGRESS: 40,
              Status.PENDING_REVIEW: 10, Status.PENDING_FEEDBACK: 10, Status.PENDING_CALLBACK: 10},
    "overdue": {Status.PENDING_DISPATCH: 5, Status.PENDING_SIGN: 10, Status.IN_PROGRESS: 60,
                Status.PENDING_REVIEW: 5, Status.PENDING_FEEDBACK: 10, Status.PENDING_CALLBACK: 10},
    "later": {Status.IN_PROGRESS: 75, Status.PENDING_FEEDBACK: 8, Status.PENDING_CALLBACK: 17},
}  # fmt: skip
# Of the open cases: 5 % come due before the next working day's sweep, 12 % are overdue already.
OPEN_CLASSES = (("newly", 0.05), ("overdue", 0.12), ("later", 0.83))


def _waits_in(steps: list[tuple], status: str | None) -> bool:
    """The path so far leaves the case in ``status`` (cases.lifecycle_table)."""
    return status is not None and STATUS_AFTER[steps[-1][0]] == status


def _clock_started_at(steps: list[tuple], clock: str) -> int:
    """The step that started ``clock``: the one that fixed its deadline ahead (the dispatch, for handling),
    or else the last one, which entered the status the clock runs in."""
    fixer = DEADLINE_FIXED_BY.get(clock)
    if fixer is None:
        return len(steps) - 1
    return max(i for i, step in enumerate(steps) if step[0] == fixer)


class Planner:
    def __init__(self, ctx, deadlines: Deadlines, rng, text: texts.Texts):
        self.ctx, self.d, self.cal, self.rng, self.t = ctx, deadlines, deadlines.calendar, rng, text
        # unit id → (late sign-for share, late reply share)
        self.habits = {}

    def habit(self, unit: int) -> tuple[float, float]:
        if unit not in self.habits:
            r = self.rng
            self.habits[unit] = (r.uniform(0.01, 0.12), r.choice((0.02, 0.05, 0.08, 0.12, 0.2, 0.3)))
        return self.habits[unit]

    def unit_for(self, c: dict, *, avoid=None) -> tuple[int, int]:
        if c["_level"] == Level.CITY:
            return city_unit(self.ctx.cities[c["_city"]], c["_code"], self.rng, avoid=avoid)
        return township_unit(self.ctx.townships[c["township_id"]], c["_code"], self.rng, avoid=avoid)

    # -- the whole loop ---------------------------------------------------------------------------

    def full(self, c: dict, t0, *, scale: float = 1.0, cut: str | None = None) -> list[tuple]:
        """Steps from raising to closing (or up to the step leaving the case in ``cut``)."""
        r, cal = self.rng, self.cal
        township = self.ctx.townships[c["township_id"]]
        city = self.ctx.cities[c["_city"]]
        fast = 0.3 if c["urgency"] != Urgency.NORMAL else 1.0
        o = cal.ordinal(t0)
        steps = [("raise", t0, {"by": c["created_by_id"]})]

        def at(minutes: float):
            nonlocal o
            o += max(5.0, minutes * scale * fast)
            return cal.moment(o)

        def hours(lo, hi):
            return r.uniform(lo, hi) * 60

        c["_level"] = c["level"]
        if c.get("_escalate"):
            steps.append(
                ("escalate", at(hours(1, 6)), {"by": township.desk, "note": self.t.pick(texts.ESCALATE_REASONS)})
            )
            c["_level"] = Level.CITY
        desk = city.office if c["_level"] == Level.CITY else township.desk
        if _waits_in(steps, cut):
            return steps
        unit, handler = self.unit_for(c)
        auto = c["_level"] == Level.TOWNSHIP and c["_code"] == "environment.waste" and not c.get("_escalate")
        if auto:
            steps.append(("dispatch", t0, {"by": None, "unit": unit, "note": "由分派规则自动派单。"}))
        else:
            late = r.random() < 0.06
            steps.append(("dispatch", at(hours(8, 16) if late else hours(0.2, 6)), {"by": desk, "unit": unit}))
        late_sign, late_reply = self.habit(unit)
        if cut != Status.PENDING_SIGN and r.random() < P_RETURN and not cut:
            steps.append(("return", at(hours(0.5, 5)), {"by": handler, "note": self.t.pick(texts.RETURN_REASONS)}))
            unit, handler = self.unit_for(c, avoid=unit)
            steps.append(("dispatch", at(hours(0.5, 4)), {"by": desk, "unit": unit}))
            late_sign, late_reply = self.habit(unit)
        if _waits_in(steps, cut):
            return steps
        dispatched = o
        steps.append(("sign", at(hours(8, 20) if r.random() < late_sign else hours(0.1, 5)), {"by": handler}))
        if _waits_in(steps, cut):
            return steps
        length = self.d.length(c["_level"], c["urgency"], Clock.HANDLE)
        if r.random() < P_EXTENSION:
            days = r.randrange(EXTENSION_DAYS[0], EXTENSION_DAYS[1] + 1)
            approve = r.random() < P_EXTENSION_APPROVED
            asked = at(length * 0.4)
            decided = at(hours(1, 4))
            steps.append(
                (
                    "extension",
                    asked,
                    {
                        "handler": handler,
                        "by": desk,
                        "days": days,
                        "approve": approve,
                        "reason": self.t.pick(texts.EXTENSION_REASONS),
                        "decided_at": decided,
                    },
                )
            )
            if approve:
                length += days * DAY
        share = r.uniform(1.05, 1.8) if r.random() < late_reply else r.uniform(0.1, 0.95)
        o = max(o + 10, dispatched + length * share * scale)
        outcome = r.choices(("solved", "partly_solved", "cannot_solve"), (88, 9, 3))[0]
        steps.append(("reply", cal.moment(o), {"by": handler, "note": self.t.pick(texts.RESULTS), "outcome": outcome}))
        if not cut and r.random() < P_REJECT:
            steps.append(("review_reject", at(hours(0.5, 6)), {"by": desk, "note": self.t.pick(texts.REJECT_REASONS)}))
            steps.append(("reply", at(hours(4, 20)), {"by": handler, "note": self.t.pick(texts.RESULTS),
                                                      "outcome": outcome}))  # fmt: skip
        if _waits_in(steps, cut):
            return steps
        steps.append(("review_approve", at(hours(8, 16) if r.random() < 0.05 else hours(0.5, 6)), {"by": desk}))
        if _waits_in(steps, cut):
            return steps
        teller = c["officer_id"] or desk
        steps.append(("feedback", at(hours(16, 30) if r.random() < 0.04 else hours(1, 12)),
                      {"by": teller, "channel": r.choice(CHANNELS), "note": self.t.pick(texts.FEEDBACKS),
                       "response": self.t.pick(texts.RESPONSES)}))  # fmt: skip
        if _waits_in(steps, cut):
            return steps
        caller = township.desk if c["_level"] != Level.CITY else city.office
        if r.random() < P_UNREACHED:
            steps.append(("callback_attempt", at(hours(2, 10)), {"by": caller}))
        solved = r.random() < (0.96 if outcome == "solved" else 0.4)
        weights = (80, 17, 3) if solved else (30, 40, 30)
        satisfaction = r.choices(("satisfied", "basically_satisfied", "unsatisfied"), weights)[0]
        steps.append(("callback", at(hours(24, 40) if r.random() < 0.05 else hours(2, 16)),
                      {"by": caller, "solved": solved, "satisfaction": satisfaction}))  # fmt: skip
        return steps

    def closed(self, c: dict, t0, end) -> list[tuple] | None:
        """A whole path that ends before ``end``, squeezed when the case was raised late; None when it cannot fit."""
        for scale in (1.0, 0.5, 0.2, 0.05):
            state = self.rng.getstate()
            steps = self.full(c, t0, scale=scale)
            if steps[-1][1] <= end and all(s[2].get("decided_at", s[1]) <= end for s in steps):
                return steps
            self.rng.setstate(state)
        return None

    # -- cut short at the end of the history -------------------------------------------------------

    def open(self, c: dict, t0, end) -> list[tuple] | None:
        """A path left waiting in some status, its running deadline placed by OPEN_CLASSES; None when t0 does not allow it."""
        r, cal = self.rng, self.cal
        kind = r.choices([k for k, _ in OPEN_CLASSES], [w for _, w in OPEN_CLASSES])[0]
        mix = OPEN_MIX[kind]
        status = r.choices(list(mix), list(mix.values()))[0]
        steps = self.full(c, t0, cut=status)
        level = c["_level"]
        clock = CLOCK_OF_STATUS[status]
        key = _clock_started_at(steps, clock)
        # The case entered its status after its clock started (signed for after the dispatch fixed the
        # handle deadline): that last step falls between the start and the end.
        entered_later = key < len(steps) - 1
        length = self.d.length(level, c["urgency"], clock)
        now = cal.ordinal(end)
        first = cal.ordinal(t0) + 30 * key
        if key == 0:
            return steps if steps[0][1] <= end else None
        if kind == "newly":
            low, high = now + 1, now + DAY
        elif kind == "overdue":
            low, high = max(first + length, now - 20 * DAY), now - 30
        else:
            low, high = now + DAY + 1, now + length - 10
        low = max(low, first + length)
        if entered_later:
            high = min(high, now - 30 + length)  # entered before the end
        if low >= high:
            return None
        start = r.uniform(low, high) - length
        base = cal.ordinal(t0)
        timed = [steps[0]]
        for i in range(1, key + 1):
            moment = cal.moment(base + (start - base) * i / key)
            timed.append((steps[i][0], moment, steps[i][2]))
        if entered_later:
            entered = start + r.uniform(0.05, 1.0) * min(DAY, now - start - 5)
            timed.append((steps[-1][0], cal.moment(entered), steps[-1][2]))
        if any(step[2].get("decided_at") for step in timed) or timed[-1][1] > end:
            return None
        return timed
