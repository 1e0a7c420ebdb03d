"""Each work queue lists exactly the cases on which its action is offered to the viewer now:
the tabs are read from the actions' definitions, not written beside them."""

import pytest
from django.utils import timezone

from cases.queues import case_listing, queues_for
from cases.selectors import cases_visible_to
from core.testing.factories import RaisedCaseFactory
from core.testing.lifecycle import STAGES

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def every_stage(cast):
    return [RaisedCaseFactory(cast=cast, stage=stage, title=stage) for stage in STAGES]


@pytest.mark.parametrize("who", ["township_staff", "office_handler", "dept_handler", "officer", "city_office"])
def test_a_work_queue_is_where_its_action_is_offered(cast, every_stage, who):
    user = getattr(cast, who)
    now = timezone.now()
    visible = list(cases_visible_to(user))
    waiting = [tab for tab in queues_for(user) if tab.action is not None]
    assert waiting, who
    for tab in waiting:
        listed = {c.pk for c in case_listing(user, {"tab": tab.key}).cases}
        offered = {c.pk for c in visible if tab.action.is_offered(user, c, now)}
        assert listed == offered, (who, tab.key)
    assert any(case_listing(user, {"tab": tab.key}).count for tab in waiting), who
