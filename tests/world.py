"""The objects the access matrix acts on: one of each in township A, and one in township B.

Made by core.testing.factories. Case A is moved on to the stage each action needs by
core.testing.lifecycle, the way people would take it: the matrix then sees 403 from the
roles that may not act, not 409.
"""

import datetime

from django.utils import timezone

from core.testing.factories import (
    AwardDecisionFactory,
    DiaryEntryFactory,
    ExportFactory,
    HotspotCaseFactory,
    HotspotFactory,
    HouseholdFactory,
    InstructionFactory,
    NotificationFactory,
    PhotoFactory,
    ProjectFactory,
    ProjectMilestoneFactory,
    RaisedCaseFactory,
    ScoreAppealFactory,
    SupervisionOrderFactory,
)
from core.testing.lifecycle import walk
from notifications.models import Notification


def _diary(officer, station):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    return DiaryEntryFactory(officer=officer, station=station, visit_date=yesterday, content="走访记录")


def build_world(cast):
    # Raised at the clock's present, not on the lifecycle's Monday: the matrix's cases are new ones.
    cast.case_a = RaisedCaseFactory(cast=cast, description="雨天积水", now=None)
    cast.case_b = RaisedCaseFactory(cast=cast, by=cast.officer_b, title="桥面破损", description="雨天积水",
                                    township=cast.township_b, station=cast.village_b, now=None)  # fmt: skip
    cast.diary_a = _diary(cast.officer, cast.village)
    cast.diary_b = _diary(cast.officer_b, cast.village_b)
    cast.household_a = HouseholdFactory(station=cast.village, name="王秀英")
    cast.household_b = HouseholdFactory(station=cast.village_b, name="外镇户")
    cast.photo_a = PhotoFactory(entry=cast.diary_a)
    cast.photo_b = PhotoFactory(entry=cast.diary_b)
    # One notice each, and one that belongs to the outsider only.
    people = list({u.pk: u for u in cast.by_role().values()}.values())
    for user in people:
        NotificationFactory(recipient=user)
    cast.notice_b = NotificationFactory(recipient=cast.officer_b, title="别人的消息")
    cast.project = ProjectFactory(cast=cast)
    ProjectMilestoneFactory(project=cast.project)  # its page shows the milestones' table and forms
    # 督办单: one to township A's office on a case dispatched there, one on a township B case.
    dispatched = RaisedCaseFactory(cast=cast, stage="dispatched", now=None)
    cast.order_a = SupervisionOrderFactory(case=dispatched, issued_by=cast.city_office)
    cast.order_b = SupervisionOrderFactory(case=cast.case_b, unit=cast.office_b, issued_by=cast.city_office)
    # 申诉: township A's office appeals the ordered case, township B's office its own; last month's awards.
    cast.appeal_a = ScoreAppealFactory(case=dispatched, unit=cast.office, filed_by=cast.office_handler)
    cast.appeal_b = ScoreAppealFactory(case=cast.case_b, unit=cast.office_b)
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    cast.awards = AwardDecisionFactory(city=cast.city, month=last_month, confirmed_by=cast.city_office)
    cast.hotspot = HotspotFactory(cast=cast, category=cast.case_a.category)
    HotspotCaseFactory(hotspot=cast.hotspot, case=cast.case_a, similarity=1.0)
    HotspotCaseFactory(hotspot=cast.hotspot, case=cast.case_b, similarity=0.8)
    # Each signed-in user's own export, and one that is nobody's but the outsider's.
    cast.exports = {user.pk: ExportFactory(owner=user, done=True) for user in people}
    return cast


def own_notice(world) -> int:
    return Notification.objects.filter(recipient=world.me).values_list("pk", flat=True).first() or world.notice_b.pk


def own_export(world) -> int:
    return world.exports[world.me.pk].pk if world.me else world.exports[world.township_staff_b.pk].pk


def open_instruction(world) -> int:
    """A leader's instruction on case A waiting for its report (made inside the check's transaction)."""
    return InstructionFactory(case=world.case_a, author=world.leader).pk


# The stage of core.testing.lifecycle each case action acts on.
STAGE_FOR_ACTION = {
    "sign": "dispatched", "return": "dispatched", "extension": "signed", "reply": "signed",
    "extension-decision": "extension_pending", "review": "replied", "feedback": "approved", "callback": "fed_back",
    "redo": "closed_unhappy", "hold-decision": "hold_pending", "release": "held",
    "unreasonable-decision": "unreasonable_pending",
}  # fmt: skip


def case_for(world, action: str) -> int:
    """Case A's id, first moved on to the stage the action needs (once per test)."""
    stage = STAGE_FOR_ACTION.get(action)
    done = getattr(world, "case_stage", "raised")
    if stage is not None and stage != done:
        walk(world.case_a, stage, world, since=done)
        world.case_stage = stage
    return world.case_a.pk
