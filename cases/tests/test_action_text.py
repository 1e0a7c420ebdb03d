"""NUL in an action's free text (found by the state machine) is a 400 on that field, and nothing changes."""

import pytest
from django.core.exceptions import ValidationError

from cases import services
from cases.choices import Status
from cases.models import CaseEvent
from core.testing.factories import RaisedCaseFactory
from core.testing.lifecycle import STAGE_OF_STATUS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "act", "field"),
    [
        (Status.IN_PROGRESS, lambda c, pk: services.case_supervise(case_id=pk, by=c.city_office, note="\x00"), "note"),
        (
            Status.PENDING_DISPATCH,
            lambda c, pk: services.case_dispatch(case_id=pk, by=c.township_staff, unit=c.office, note="请\x00处理"),
            "note",
        ),  # fmt: skip
        (
            Status.PENDING_SIGN,
            lambda c, pk: services.case_return(case_id=pk, by=c.office_handler, reason="\x00"),
            "reason",
        ),  # fmt: skip
        (
            Status.PENDING_FEEDBACK,
            lambda c, pk: services.case_feedback(
                case_id=pk, by=c.officer, channel="phone", content="已告知", resident_response="好\x00"
            ),
            "resident_response",
        ),  # fmt: skip
        (
            Status.PENDING_CALLBACK,
            lambda c, pk: services.case_callback(case_id=pk, by=c.township_staff, reached=False, note="\x00"),
            "note",
        ),  # fmt: skip
    ],
)
def test_nul_in_free_text_is_refused_on_its_field(cast, status, act, field):
    case = RaisedCaseFactory(cast=cast, stage=STAGE_OF_STATUS[status], title="路灯不亮", now=None)
    events = CaseEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        act(cast, case.pk)
    assert field in refused.value.message_dict
    case.refresh_from_db()
    assert case.status == status and not case.supervised
    assert CaseEvent.objects.count() == events
