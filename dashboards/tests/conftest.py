import datetime

import pytest
from django.utils import timezone

from cases.choices import Level, Status
from core.testing.factories import CaseFactory, DiaryEntryFactory, FeedbackFactory
from demo.categories import seed_categories


@pytest.fixture
def cats(db):
    return seed_categories()


@pytest.fixture
def recent(cast, cats):
    """A few cases in both townships over the last days (relative to now), for the pages."""
    now = timezone.now()
    road = cats["infra.road"]
    day = datetime.timedelta(days=1)
    a = CaseFactory(cast=cast, category=road, raised=now - 3 * day, title="东溪村道路坑洼", reporter_name="张三丰",
                    reporter_phone="13812345678", reporter_address="东溪村8号")  # fmt: skip
    closed = CaseFactory(cast=cast, category=road, raised=now - 2 * day, status=Status.CLOSED, level=Level.ONSITE,
                         title="新桥社区路灯不亮")  # fmt: skip
    FeedbackFactory(case=closed, given_by=cast.officer, given_at=now - 2 * day)
    other = CaseFactory(cast=cast, category=road, raised=now - 2 * day, township=cast.township_b,
                        title="西山村水渠堵塞", reporter_name="李四", reporter_phone="13900001111", unit=cast.office_b,
                        status=Status.IN_PROGRESS, due=now - day)  # fmt: skip
    DiaryEntryFactory(
        officer=cast.officer, station=cast.village, visit_date=timezone.localdate() - 2 * day, household_visits=3
    )
    DiaryEntryFactory(
        officer=cast.officer_b, station=cast.village_b, visit_date=timezone.localdate() - 2 * day, household_visits=7
    )
    return {"a": a, "closed": closed, "other": other}


from dashboards.tests.coverage_world import ledger  # noqa: E402, F401 - the coverage figures' small ledger
