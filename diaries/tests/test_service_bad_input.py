"""Input Hypothesis found reaching the database from diary_create (NUL, lengths, choices, digits):
each is now refused with a message, against the issue or field it came from, and nothing is written."""

import pytest
from django.utils import timezone

from cases.models import Case
from demo.categories import seed_categories
from diaries.models import DiaryEntry
from diaries.services import DiaryData, DiaryInvalid, IssueData, VisitData, diary_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def road(cast):
    return seed_categories()["infra.road"]


def _data(cast, **changes) -> DiaryData:
    fields = {"station": cast.village, "visit_date": timezone.localdate(), "visit_type": "household",
              "content": "走访了三户村民"}  # fmt: skip
    return DiaryData(**(fields | changes))


def _refused(cast, data) -> dict:
    with pytest.raises(DiaryInvalid) as refused:
        diary_create(officer=cast.officer, data=data)
    assert not DiaryEntry.objects.exists() and not Case.objects.exists()
    return refused.value.errors


def test_nul_in_the_content(cast):
    assert set(_refused(cast, _data(cast, content="路灯\x00坏了"))) == {"content"}


def test_a_location_that_does_not_fit_the_column(cast):
    assert set(_refused(cast, _data(cast, latitude=1e308, longitude=float("nan")))) == {"latitude", "longitude"}


def test_a_visit_with_an_unknown_kind_and_a_name_too_long(cast):
    errors = _refused(cast, _data(cast, visits=[VisitData("household", "张大爷"), VisitData("cat", "长" * 101)]))
    assert errors["visits"][0] == {} and set(errors["visits"][1]) == {"kind", "name"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "长" * 201}, "title"),
        ({"title": "  "}, "title"),
        ({"urgency": ""}, "urgency"),
        ({"difficulty": "impossible"}, "difficulty"),
        ({"reporter_address": "\x00"}, "reporter_address"),
        ({"solved_on_site": True, "resolution": "修好了\x00", "feedback": "已告知"}, "resolution"),
    ],
)
def test_an_issue_the_case_cannot_hold(cast, road, change, field):
    issue = IssueData(**({"title": "路灯不亮", "category": road, "urgency": "normal"} | change))
    errors = _refused(cast, _data(cast, issues=[IssueData("路面坑洼", road, "normal"), issue]))
    assert errors["issues"][0] == {} and field in errors["issues"][1]
