"""Hypothesis drives random sequences of case actions, by anyone, with any arguments.

After each step: either the transition happened as cases/transitions.py and LIFECYCLE.md say
(status, one event from the old status to the new, the clock and its deadline), or it was
refused (403 / 409 / 400 / 404 in HTTP terms) and nothing at all changed.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from cases.actions import ACTIONS
from cases.choices import CLOCK_OF_STATUS, Level, Status
from cases.models import Callback, Case, CaseEvent, Dispatch, Extension, Feedback, Hold, Instruction, Unreasonable
from cases.transitions import ALLOWED_FROM, TransitionNotAllowed
from core.testing.factories import RaisedCaseFactory
from core.testing.lifecycle import STAGE_OF_STATUS

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

# Mostly a fine reason (so the loop moves on), sometimes none, NUL, too long or anything at all.
text = st.one_of(
    st.just("理由充分"), st.just("已处理"), st.sampled_from(["", "  ", "\x00", "长" * 300]), st.text(max_size=12)
)
# Where a successful action leaves the case (None: where it was).
LANDS_IN = {
    "dispatch": Status.PENDING_SIGN,
    "escalate": Status.PENDING_DISPATCH,
    "sign": Status.IN_PROGRESS,
    "return": Status.PENDING_DISPATCH,
    "extension": None,
    "extension-decision": None,
    "reply": Status.PENDING_REVIEW,
    "feedback": Status.PENDING_CALLBACK,
    "redo": Status.PENDING_DISPATCH,
    "supervise": None,
    "hold": None,
    "hold-decision": None,
    "release": None,
    "unreasonable": None,
    "unreasonable-decision": None,
    "invalid": Status.CLOSED,
}
RELATED = [CaseEvent, Dispatch, Extension, Feedback, Callback, Instruction, Hold, Unreasonable]


def walk_to(cast, status: str, title: str):
    """A township case in ``status``, taken there by the cast's people (core.testing.lifecycle).

    Named as the machine has always called it: the machine's source seeds Hypothesis
    (derandomize), and another spelling would explore other runs.
    """
    return RaisedCaseFactory(cast=cast, stage=STAGE_OF_STATUS[status], title=title, now=None)


def _arguments(name: str, units: list):
    """Generated keyword arguments of the action's service, right and wrong."""
    unit = st.sampled_from(units)
    return {
        "dispatch": st.fixed_dictionaries({"unit": unit, "assisting_units": st.lists(unit, max_size=2), "note": text}),
        "escalate": st.fixed_dictionaries({"reason": text}),
        "sign": st.just({}),
        "return": st.fixed_dictionaries({"reason": text}),
        "extension": st.fixed_dictionaries({"days": st.integers(-2, 25), "reason": text}),
        "extension-decision": st.fixed_dictionaries({"approve": st.booleans(), "note": text}),
        "reply": st.fixed_dictionaries(
            {"result": text, "outcome": st.sampled_from(["solved", "partly_solved", "cannot_solve", "", "maybe"])}
        ),
        "review": st.fixed_dictionaries({"approve": st.booleans(), "reason": text}),
        "feedback": st.fixed_dictionaries(
            {"channel": st.sampled_from(["visit", "phone", "pigeon"]), "content": text, "resident_response": text}
        ),
        "callback": st.fixed_dictionaries(
            {
                "reached": st.booleans(),
                "solved": st.sampled_from([None, True, False]),
                "satisfaction": st.sampled_from(["", "satisfied", "unsatisfied", "meh"]),
                "note": text,
                "close": st.booleans(),
            }
        ),
        "redo": st.fixed_dictionaries({"reason": text}),
        "supervise": st.fixed_dictionaries({"note": text}),
        "instruction": st.fixed_dictionaries({"content": text}),
        # "open": the case's first instruction waiting for its report, if any (act() looks it up).
        "instruction-report": st.fixed_dictionaries(
            {"instruction": st.sampled_from(["open", "open", 0, "x", 10**9]), "content": text}
        ),
        "hold": st.fixed_dictionaries(
            {
                "reason": text,
                "review_on": st.one_of(st.none(), st.dates(datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))),
            }
        ),
        "hold-decision": st.fixed_dictionaries({"approve": st.booleans(), "note": text}),
        "release": st.fixed_dictionaries({"note": text}),
        "unreasonable": st.fixed_dictionaries({"reason": text}),
        "invalid": st.fixed_dictionaries(
            {"kind": st.sampled_from(["spam", "test", "duplicate", "other", "x", ""]), "reason": text}
        ),  # fmt: skip
        "unreasonable-decision": st.fixed_dictionaries({"approve": st.booleans(), "note": text}),
    }[name]


def _snapshot(case_id: int) -> tuple:
    row = Case.objects.filter(pk=case_id).values().get()
    row.pop("updated_at", None)
    return row, {m.__name__: m.objects.filter(case_id=case_id).count() for m in RELATED}


def test_random_action_sequences_keep_the_lifecycle(cast):
    people = list({u.pk: u for u in [*cast.by_role().values(), cast.officer_b]}.values())
    units = [cast.office, cast.office, cast.department, cast.office_b, cast.department_2, cast.township, cast.village]
    moved_on_from = set()

    class CaseLifecycle(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()  # each run starts from the cast alone; teardown rolls back

        @initialize(status=st.sampled_from(Status.values))
        def a_case_in_any_status(self, status):
            # Walked there by the right people, so every status is a starting point of some runs.
            self.case = walk_to(cast, status, "路灯不亮")

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        @rule(data=st.data())
        def act(self, data):
            case = Case.objects.get(pk=self.case.pk)
            # Mostly an action the status allows, by someone allowed to: the loop moves on.
            fitting = [n for n, a in ACTIONS.items() if case.status in a.allowed_from]
            name = data.draw(
                st.one_of(st.sampled_from(sorted(ACTIONS)), *[st.sampled_from(sorted(fitting))] * 3), label="name"
            )
            allowed = [u for u in people if ACTIONS[name].may(u, case)] or people
            actor = data.draw(st.one_of(st.sampled_from(people), *[st.sampled_from(allowed)] * 3), label="actor")
            kwargs = dict(data.draw(_arguments(name, units), label="arguments"))
            if kwargs.get("instruction") == "open":
                waiting = Instruction.objects.filter(case=self.case, carried_out_at__isnull=True)
                kwargs["instruction"] = waiting.values_list("pk", flat=True).first() or 0
            before, counts = _snapshot(self.case.pk)
            events = list(CaseEvent.objects.filter(case=self.case).values_list("pk", flat=True))
            try:
                ACTIONS[name].run(case_id=self.case.pk, by=actor, **kwargs)
            except (PermissionDenied, TransitionNotAllowed, ValidationError, Case.DoesNotExist) as exc:
                if isinstance(exc, ValidationError):
                    assert exc.messages, "refused without a message"
                assert _snapshot(self.case.pk) == (before, counts), f"{name} refused but changed the case"
                return
            moved_on_from.add(before["status"])
            after = Case.objects.get(pk=self.case.pk)
            new = CaseEvent.objects.filter(case=self.case).exclude(pk__in=events).order_by("pk")
            assert new.count() == 1, f"{name}: one event per action"
            event = new.get()
            assert event.action in ACTIONS[name].kinds
            assert before["status"] in ALLOWED_FROM[event.action]
            assert (event.from_status, event.to_status) == (before["status"], after.status)
            assert event.actor_id == actor.pk
            expected = LANDS_IN.get(name)
            if name == "review":
                expected = Status.PENDING_FEEDBACK if kwargs["approve"] else Status.IN_PROGRESS
            if name == "callback":
                expected = Status.CLOSED if kwargs["reached"] or kwargs["close"] else before["status"]
            assert after.status == (expected or before["status"])
            if name == "escalate":
                assert (before["level"], after.level) == (Level.TOWNSHIP, Level.CITY)
            if name == "supervise":
                assert after.supervised

        @invariant()
        def the_case_is_consistent(self):
            case = Case.objects.get(pk=self.case.pk)
            clock = CLOCK_OF_STATUS.get(case.status)
            assert case.clock == (clock or "")
            if clock:
                assert case.due_at is not None and case.due_at == getattr(case, f"{clock}_due")
            else:
                assert case.due_at is None
            assert (case.status == Status.CLOSED) == (case.closed_at is not None)
            if case.status == Status.CLOSED:
                # 反映必反馈 — except a request the desk found 无效 (spam, test, duplicate): nobody to answer.
                assert case.feedbacks.exists() or case.invalid, "反映必反馈: closed without feedback"
            if case.status in (Status.PENDING_SIGN, Status.IN_PROGRESS, Status.PENDING_REVIEW):
                assert case.unit_id is not None
            if case.status == Status.PENDING_DISPATCH:
                assert case.unit_id is None
            assert case.extensions.filter(decision=Extension.Decision.PENDING).count() <= 1
            in_force = case.holds.filter(decision=Hold.Decision.APPROVED, released_at__isnull=True).count()
            assert in_force == (case.held_since is not None)
            open_claims = case.unreasonable_claims.filter(decision__in=["pending", "approved"]).count()
            assert open_claims <= 1
            last = case.events.order_by("-created_at", "-pk").first()
            assert last.to_status == case.status

    run_state_machine_as_test(
        CaseLifecycle,
        settings=settings(
            max_examples=30,
            stateful_step_count=30,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    # Not vacuous: some action succeeded from every status.
    assert moved_on_from == set(Status.values)
