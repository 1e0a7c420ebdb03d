"""The access matrix's world plus a township case in every status, for the generated API tests."""

from django.utils import timezone

from cases.choices import Status
from core.testing.factories import InstructionFactory, RaisedCaseFactory, SupervisionOrderFactory
from core.testing.lifecycle import STAGE_OF_STATUS
from notifications.models import Notification
from tests.world import build_world


def build_fuzz_world(cast):
    world = build_world(cast)
    world.cases = {"raised": world.case_a}
    for status in [Status.PENDING_SIGN, Status.IN_PROGRESS, Status.PENDING_REVIEW, Status.PENDING_FEEDBACK,
                   Status.PENDING_CALLBACK, Status.CLOSED]:  # fmt: skip
        world.cases[status] = RaisedCaseFactory(
            cast=cast, stage=STAGE_OF_STATUS[status], title=f"路灯故障 {status}", now=None
        )
    # One more in progress, with an extension request waiting for the desk.
    world.cases["extension"] = RaisedCaseFactory(cast=cast, stage="extension_pending", title="路灯故障 延期", now=None)
    # One in progress with a leader's 批示 the desk has yet to report on.
    world.cases["instructed"] = RaisedCaseFactory(cast=cast, stage="signed", title="路灯故障 批示", now=None)
    world.instruction = InstructionFactory(case=world.cases["instructed"], author=cast.leader)
    # 挂账: one waiting for the city office's decision, one in force.
    world.cases["hold_pending"] = RaisedCaseFactory(
        cast=cast, stage="hold_pending", title="路灯故障 挂账申请", now=None
    )
    world.cases["held"] = RaisedCaseFactory(cast=cast, stage="held", title="路灯故障 挂账", now=None)
    # 督办单: the world's order A waits for the office's signature; this one is signed and waits for the answer.
    world.order_signed = SupervisionOrderFactory(
        case=world.cases[Status.IN_PROGRESS], issued_by=cast.city_office, signed_by=cast.office_handler,
        signed_at=timezone.now(),
    )  # fmt: skip
    # One in progress marked unreasonable (不合理诉求) by the desk, waiting for the city office.
    world.cases["unreasonable"] = RaisedCaseFactory(cast=cast, stage="unreasonable_pending", title="路灯故障 不合理",
                                                    now=None)  # fmt: skip

    def own_notices(user) -> list[int]:
        if user is None:
            return []
        return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("pk", flat=True)[:2])

    world.own_notices = own_notices
    return world
