"""The access matrix's world plus a township case in every status, for the generated API tests."""

from cases import services
from cases.choices import Status
from demo.categories import seed_categories
from notifications.models import Notification
from tests.world import build_world


def walk_to(cast, status: str, title: str):
    """A case of township A, taken through the closed loop by the people of the cast up to ``status``."""
    case = services.case_raise(
        by=cast.officer, title=title, description="路灯不亮", category=seed_categories()["infra.road"], urgency="normal",
        township=cast.township, station=cast.village, reporter_phone="13912345678",
    )  # fmt: skip
    steps = [
        (Status.PENDING_SIGN, lambda pk: services.case_dispatch(case_id=pk, by=cast.township_staff, unit=cast.office)),
        (Status.IN_PROGRESS, lambda pk: services.case_sign(case_id=pk, by=cast.office_handler)),
        (Status.PENDING_REVIEW, lambda pk: services.case_reply(case_id=pk, by=cast.office_handler, result="已修复",
                                                               outcome="solved")),
        (Status.PENDING_FEEDBACK, lambda pk: services.case_review(case_id=pk, by=cast.township_staff, approve=True)),
        (Status.PENDING_CALLBACK, lambda pk: services.case_feedback(case_id=pk, by=cast.officer, channel="visit",
                                                                    content="已告知居民")),
        (Status.CLOSED, lambda pk: services.case_callback(case_id=pk, by=cast.township_staff, reached=True,
                                                          solved=False, satisfaction="unsatisfied")),
    ]  # fmt: skip
    for reached, step in steps:
        if case.status == status:
            break
        case = step(case.pk)
        assert case.status == reached
    return case


def build_fuzz_world(cast):
    world = build_world(cast)
    world.cases = {"raised": world.case_a}
    for status in [Status.PENDING_SIGN, Status.IN_PROGRESS, Status.PENDING_REVIEW, Status.PENDING_FEEDBACK,
                   Status.PENDING_CALLBACK, Status.CLOSED]:  # fmt: skip
        world.cases[status] = walk_to(cast, status, f"路灯故障 {status}")
    # One more in progress, with an extension request waiting for the desk.
    world.cases["extension"] = walk_to(cast, Status.IN_PROGRESS, "路灯故障 延期")
    services.case_extension_request(
        case_id=world.cases["extension"].pk, by=cast.office_handler, days=3, reason="待材料"
    )

    def own_notices(user) -> list[int]:
        if user is None:
            return []
        return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("pk", flat=True)[:2])

    world.own_notices = own_notices
    return world
