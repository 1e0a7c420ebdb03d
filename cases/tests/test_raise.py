import pytest
from django.core.exceptions import ValidationError

from cases.choices import Level, Status
from cases.models import CaseEvent
from cases.services import ActionForbidden, case_raise
from demo.categories import seed_categories

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def road(cast):
    return seed_categories()["infra.road"]


def raise_(cast, road, **kw):
    defaults = {
        "by": cast.officer, "title": "村口道路坑洼", "description": "雨天积水", "category": road, "urgency": "normal",
        "township": cast.township, "station": cast.village, "reporter_name": "张三", "reporter_phone": "13812345678",
    }  # fmt: skip
    return case_raise(**{**defaults, **kw})


def test_needs_help_waits_for_the_township_desk(cast, road):
    case = raise_(cast, road)
    assert (case.level, case.status, case.clock) == (Level.TOWNSHIP, Status.PENDING_DISPATCH, "dispatch")
    assert case.dispatch_due and case.due_at == case.dispatch_due
    assert case.code.startswith("SZ-") and case.code.endswith(f"{case.pk:06d}")
    assert case.officer == cast.officer and case.city == cast.city
    assert list(CaseEvent.objects.filter(case=case).values_list("action", "to_status")) == [
        ("raise", "pending_dispatch")
    ]


def test_solved_on_site_with_the_residents_answer_closes_with_feedback(cast, road):
    case = raise_(
        cast, road, solved_on_site=True, resolution="当场联系修补", feedback="已告知", satisfaction="satisfied"
    )
    assert (case.level, case.status) == (Level.ONSITE, Status.CLOSED)
    assert case.feedbacks.count() == 1 and case.callbacks.get().closes


def test_solved_on_site_without_an_answer_waits_for_callback(cast, road):
    case = raise_(cast, road, solved_on_site=True, resolution="当场修补", feedback="已告知")
    assert (case.status, case.clock) == (Status.PENDING_CALLBACK, "callback")
    assert case.feedbacks.count() == 1


def test_on_site_needs_resolution_and_feedback(cast, road):
    with pytest.raises(ValidationError):
        raise_(cast, road, solved_on_site=True, resolution="", feedback="")


def test_other_channels_are_raised_at_the_desks_level(cast, road):
    township_case = raise_(cast, road, by=cast.township_staff, source="phone")
    city_case = raise_(cast, road, by=cast.city_office, source="mayor_hotline")
    assert (township_case.level, city_case.level) == (Level.TOWNSHIP, Level.CITY)
    assert township_case.officer is None


def test_handlers_cannot_raise(cast, road):
    with pytest.raises(ActionForbidden):
        raise_(cast, road, by=cast.dept_handler, source="phone")
