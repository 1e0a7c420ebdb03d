"""Factories of cases and what hangs off them.

Two ways to a case: ``RaisedCaseFactory`` raises one through cases.services and
walks it to a stage of core.testing.lifecycle (what the write side is tested
with); ``CaseFactory`` writes the row itself with every moment given (what the
read side, dashboards and the deadline sweep, is tested with at set times).
"""

import datetime

import factory
from django.utils import timezone

from accounts.roles import Role
from cases import services
from cases.choices import CLOCK_OF_STATUS, Action, Level, Status
from cases.models import (
    Callback,
    Case,
    CaseEvent,
    Category,
    DeadlinePolicy,
    Dispatch,
    Extension,
    Feedback,
    Hold,
    Instruction,
    Project,
    ProjectMilestone,
    ProjectUpdate,
    RoutingRule,
    Unreasonable,
)
from cases.services.core import assign_code
from core import workdays
from core.testing import lifecycle
from core.testing.factories.accounts import CityFactory, OfficeFactory, TownshipFactory, UserFactory
from core.testing.factories.base import ModelFactory, from_cast, moment, seeded


class CategoryFactory(ModelFactory):
    """A category of its own; the same code again answers the existing row."""

    class Meta:
        model = Category
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"test.c{n}")
    name = factory.Sequence(lambda n: f"类别{n}")
    parent = None


class RoutingRuleFactory(ModelFactory):
    class Meta:
        model = RoutingRule

    category = factory.SubFactory(CategoryFactory)
    difficulty = ""
    township = None
    level = Level.TOWNSHIP
    unit = factory.SubFactory(OfficeFactory)


class ProjectFactory(ModelFactory):
    """A project of the city office (with ``cast=``, the cast's)."""

    class Meta:
        model = Project

    class Params:
        cast = None

    title = "道路整治"
    city = from_cast("city", factory.SubFactory(CityFactory))
    created_by = from_cast(
        "city_office",
        factory.SubFactory(UserFactory, roles=[Role.CITY_OFFICE], org_unit=factory.SelfAttribute("..city")),
    )


class ProjectMilestoneFactory(ModelFactory):
    """A milestone planned a month from today, not done."""

    class Meta:
        model = ProjectMilestone

    project = factory.SubFactory(ProjectFactory)
    title = "完成施工"
    planned_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    order = factory.Sequence(lambda n: n + 1)


class ProjectUpdateFactory(ModelFactory):
    class Meta:
        model = ProjectUpdate

    project = factory.SubFactory(ProjectFactory)
    text = "已完成设计"
    percent = 20
    by = factory.SelfAttribute("project.created_by")
    at = factory.LazyFunction(timezone.now)


class RaisedCaseFactory(ModelFactory):
    """A case raised through ``case_raise`` by the cast's officer at the village, at the clock's
    present, then walked to ``stage`` (core.testing.lifecycle) by the cast's people.

    ``cast=`` is required: the cast's people take every step. Any other keyword is a
    field of ``case_raise``. Raising at the present, like every later step, keeps the
    timeline in order at whatever moment the suite's clock is pinned to; a test that
    reads exact deadlines moves the clock to its moment first (``clock.move_to``).
    """

    class Meta:
        model = Case

    cast = None
    stage = "raised"
    by = factory.SelfAttribute("cast.officer")
    title = "村口道路坑洼"
    description = "雨天积水，老人出行不便"
    category = seeded("infra.road")
    urgency = "normal"
    township = factory.SelfAttribute("cast.township")
    station = factory.SelfAttribute("cast.village")
    reporter_name = "张三"
    reporter_phone = "13812345678"
    reporter_address = "东溪村 3 组 12 号"
    now = None

    @classmethod
    def _create(cls, model_class, *, cast, stage, **fields):
        return lifecycle.walk(services.case_raise(**fields), stage, cast)


def _due_if(clock: str):
    return factory.LazyAttribute(lambda o: o.due_at if o.clock == clock else None)


def _numbered(case, create, extracted, **kwargs):
    if create:
        assign_code(case)


class CaseFactory(ModelFactory):
    """A case row as stored, every moment given, no service run.

    ``raised`` is when it was raised. ``due`` ("2026-11-10 10:00" in Shanghai, or a
    datetime) is the deadline of the clock its status runs (or of ``clock``); such a
    case was raised 20 days before it. With ``cast=`` the case is township A's, raised
    by its desk; ``from_village`` makes it the cast officer's, from the village,
    numbered as ``case_raise`` numbers cases.
    """

    class Meta:
        model = Case

    class Params:
        cast = None
        due = None
        raised = factory.LazyAttribute(lambda o: o.due_at - datetime.timedelta(days=20) if o.due_at else timezone.now())
        from_village = factory.Trait(
            title="村口道路坑洼",
            category=factory.SubFactory(CategoryFactory, code="test.road", name="道路"),
            station=factory.SelfAttribute("cast.village"),
            officer=factory.SelfAttribute("cast.officer"),
            created_by=factory.SelfAttribute("cast.officer"),
            numbered=factory.PostGeneration(_numbered),
        )

    title = "道路坑洼"
    category = factory.SubFactory(CategoryFactory)
    level = Level.TOWNSHIP
    status = Status.PENDING_DISPATCH
    township = from_cast("township", factory.SubFactory(TownshipFactory))
    city = factory.LazyAttribute(lambda o: o.cast.city if o.cast else o.township.city)
    created_by = from_cast("township_staff", factory.SubFactory(UserFactory, roles=[Role.TOWNSHIP_STAFF]))
    created_at = factory.SelfAttribute("raised")
    closed_at = factory.LazyAttribute(lambda o: o.raised if o.status == Status.CLOSED else None)
    # As start_clock leaves a case: the clock of its status runs to the due moment; no deadline, no clock.
    clock = factory.LazyAttribute(lambda o: CLOCK_OF_STATUS.get(o.status, "") if o.due else "")
    due_at = factory.LazyAttribute(lambda o: moment(o.due))
    dispatch_due = _due_if("dispatch")
    sign_due = _due_if("sign")
    handle_due = _due_if("handle")
    review_due = _due_if("review")
    feedback_due = _due_if("feedback")
    callback_due = _due_if("callback")


class VillageCaseFactory(CaseFactory):
    """``CaseFactory(from_village=True)``: what the deadline sweep and the notices are tested on."""

    from_village = True


class CaseEventFactory(ModelFactory):
    """A timeline row as a case service writes it (from and to the case's status unless told)."""

    class Meta:
        model = CaseEvent

    case = factory.SubFactory(CaseFactory)
    action = Action.RAISE
    actor = None
    from_status = factory.SelfAttribute("case.status")
    to_status = factory.SelfAttribute("case.status")
    level = factory.SelfAttribute("case.level")
    unit = factory.SelfAttribute("case.unit")


class DispatchFactory(ModelFactory):
    """A hand-over as stored, every moment given; ``handle_hours`` is fixed as ``case_review`` fixes it."""

    class Meta:
        model = Dispatch

    case = factory.SubFactory(CaseFactory)
    level = Level.TOWNSHIP
    unit = factory.SubFactory(OfficeFactory)
    # The desk that raised it hands it over (no one reads who did, but a dispatch always has someone).
    dispatched_by = factory.SelfAttribute("case.created_by")
    dispatched_at = factory.LazyFunction(timezone.now)
    sign_due = factory.LazyAttribute(lambda o: o.dispatched_at + datetime.timedelta(days=1))
    handle_due = factory.LazyAttribute(lambda o: o.dispatched_at + datetime.timedelta(days=5))
    handle_hours = factory.LazyAttribute(
        lambda o: (
            workdays.working_hours_between(o.dispatched_at, o.replied_at or o.approved_at) if o.approved_at else None
        )
    )
    signed_at = None
    returned_at = None
    replied_at = None
    approved_at = None


class ExtensionFactory(ModelFactory):
    class Meta:
        model = Extension

    case = factory.SubFactory(CaseFactory, status=Status.IN_PROGRESS)
    dispatch = factory.SubFactory(DispatchFactory, case=factory.SelfAttribute("..case"))
    level = factory.SelfAttribute("case.level")
    days = 2
    reason = "材料未到"
    requested_by = factory.SubFactory(UserFactory, roles=[Role.UNIT_HANDLER])


class InstructionFactory(ModelFactory):
    """A leader's 批示 on a case, not yet carried out; pass ``case=None, project=...`` for one on a project."""

    class Meta:
        model = Instruction

    case = factory.SubFactory(CaseFactory, status=Status.IN_PROGRESS)
    project = None
    author = factory.SubFactory(UserFactory, roles=[Role.LEADER])
    content = "请尽快协调解决，办理结果报我。"


class FeedbackFactory(ModelFactory):
    class Meta:
        model = Feedback

    case = factory.SubFactory(CaseFactory)
    channel = "phone"
    content = "已告知"
    given_by = factory.SubFactory(UserFactory, roles=[Role.TOWNSHIP_STAFF])
    given_at = factory.LazyFunction(timezone.now)


class CallbackFactory(ModelFactory):
    class Meta:
        model = Callback

    case = factory.SubFactory(CaseFactory)
    reached = True
    solved = None
    satisfaction = ""
    by = factory.SubFactory(UserFactory, roles=[Role.TOWNSHIP_STAFF])
    at = factory.LazyFunction(timezone.now)


class DeadlinePolicyFactory(ModelFactory):
    class Meta:
        model = DeadlinePolicy

    level = Level.TOWNSHIP
    urgency = "normal"
    clock = "handle"
    amount = 3
    unit = DeadlinePolicy.Unit.WORKING_DAYS


class HoldFactory(ModelFactory):
    """A hold as the desk asks for it, waiting for the city office (``approved=True``: in force since
    ``decided_at``, the case marked held as ``case_hold_decide`` leaves it)."""

    class Meta:
        model = Hold

    class Params:
        approved = factory.Trait(
            decision=Hold.Decision.APPROVED,
            decided_at=factory.LazyAttribute(lambda o: o.requested_at),
            decided_by=factory.SubFactory(UserFactory, roles=[Role.CITY_OFFICE]),
            held=factory.PostGeneration(
                lambda hold, create, extracted, **kw: (
                    create and Case.objects.filter(pk=hold.case_id).update(held_since=hold.decided_at)
                )
            ),
        )

    case = factory.SubFactory(CaseFactory, status=Status.IN_PROGRESS)
    reason = "纳入明年道路拓宽计划"
    review_on = factory.LazyAttribute(lambda o: timezone.localdate(o.requested_at) + datetime.timedelta(days=60))
    requested_by = factory.SubFactory(UserFactory, roles=[Role.TOWNSHIP_STAFF])
    requested_at = factory.LazyFunction(timezone.now)


class UnreasonableFactory(ModelFactory):
    """A 不合理诉求 claim as the desk makes it, waiting for the city office (``approved=True`` / ``refused=True``:
    decided when it was asked)."""

    class Meta:
        model = Unreasonable

    class Params:
        approved = factory.Trait(
            decision=Unreasonable.Decision.APPROVED,
            decided_at=factory.LazyAttribute(lambda o: o.requested_at),
            decided_by=factory.SubFactory(UserFactory, roles=[Role.CITY_OFFICE]),
        )
        refused = factory.Trait(
            decision=Unreasonable.Decision.REFUSED,
            decided_at=factory.LazyAttribute(lambda o: o.requested_at),
            decided_by=factory.SubFactory(UserFactory, roles=[Role.CITY_OFFICE]),
            note="诉求合理，继续办理",
        )

    case = factory.SubFactory(CaseFactory, status=Status.IN_PROGRESS)
    reason = "要求政府承担私人房屋装修费用"
    requested_by = factory.SubFactory(UserFactory, roles=[Role.TOWNSHIP_STAFF])
    requested_at = factory.LazyFunction(timezone.now)
