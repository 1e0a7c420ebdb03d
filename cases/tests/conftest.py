"""Cases at each stage of the township and city loops, driven through the services."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from cases import services
from demo.categories import seed_categories

SH = ZoneInfo("Asia/Shanghai")
# A Monday morning well clear of holidays: deadlines are easy to read.
MONDAY = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=SH)


@pytest.fixture
def categories(db):
    return seed_categories()


@pytest.fixture
def road(categories):
    return categories["infra.road"]


class Loop:
    """Moves one case along the township (or city) loop, one service call per step."""

    def __init__(self, cast, category):
        self.cast, self.category = cast, category

    def raised(self, **kw):
        args = {
            "by": self.cast.officer, "title": "村口道路坑洼", "description": "雨天积水，老人出行不便",
            "category": self.category, "urgency": "normal", "township": self.cast.township,
            "station": self.cast.village, "reporter_name": "张三", "reporter_phone": "13812345678",
            "reporter_address": "东溪村 3 组 12 号", "now": MONDAY,
        }  # fmt: skip
        return services.case_raise(**{**args, **kw})

    def dispatched(self, case=None, **kw):
        case = case or self.raised()
        return services.case_dispatch(case_id=case.pk, by=self.cast.township_staff, unit=self.cast.office, **kw)

    def signed(self, case=None):
        case = case or self.dispatched()
        return services.case_sign(case_id=case.pk, by=self.cast.office_handler)

    def replied(self, case=None, outcome="solved"):
        case = case or self.signed()
        return services.case_reply(case_id=case.pk, by=self.cast.office_handler, result="已修补路面", outcome=outcome)

    def approved(self, case=None):
        case = case or self.replied()
        return services.case_review(case_id=case.pk, by=self.cast.township_staff, approve=True)

    def fed_back(self, case=None):
        case = case or self.approved()
        return services.case_feedback(case_id=case.pk, by=self.cast.officer, channel="visit", content="已修好")

    def closed(self, case=None, **kw):
        case = case or self.fed_back()
        answer = {"reached": True, "solved": True, "satisfaction": "satisfied", **kw}
        return services.case_callback(case_id=case.pk, by=self.cast.township_staff, **answer)

    def escalated(self, case=None):
        case = case or self.raised()
        return services.case_escalate(case_id=case.pk, by=self.cast.township_staff, reason="需市级部门协调")

    def city_dispatched(self, case=None):
        case = case or self.escalated()
        return services.case_dispatch(case_id=case.pk, by=self.cast.city_office, unit=self.cast.department)

    def extension_pending(self):
        case = self.signed()
        services.case_extension_request(case_id=case.pk, by=self.cast.office_handler, days=2, reason="材料未到")
        return case

    def closed_unhappy(self):
        return self.closed(solved=False, satisfaction="unsatisfied")

    def at(self, stage: str):
        """A new case at the named stage (a method name of this class)."""
        return getattr(self, stage)()


@pytest.fixture
def loop(cast, road):
    return Loop(cast, road)
