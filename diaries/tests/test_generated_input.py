"""Hypothesis over diary_create and POST /api/v1/diaries/: any input either writes the entry whole
(entry, visits, one case per issue with its events) or is refused whole with a message and writes nothing."""

import datetime
from contextlib import contextmanager

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEvent
from cases.models import Callback, Case, CaseEvent, Feedback
from core.testing.factories import CategoryFactory
from demo.categories import seed_categories
from diaries.models import DiaryEntry, Visit
from diaries.services import DiaryData, DiaryInvalid, IssueData, VisitData, diary_create
from notifications.models import Notification

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

FUZZ = settings(
    max_examples=100,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
MODELS = [DiaryEntry, Visit, Case, CaseEvent, Feedback, Callback, Notification, AuditEvent]

# Text people really send, and text nobody should: control characters, NUL, bidi marks, emoji, huge.
NASTY = [
    "", " ", "\t\n", "\x00", "路灯\x00坏了", "\u202e修好了\u202c", "\u200f\u200e", "😀🏠", "\x1b[31m", "<b>x</b>",
    "a" * 101, "长" * 201, "x" * 20_001,
]  # fmt: skip
text = st.one_of(
    st.sampled_from(NASTY), st.text(max_size=40), st.text(alphabet=st.characters(codec="utf-8"), max_size=8)
)
short_text = st.one_of(st.sampled_from(["路灯不亮", "张大爷", "13812345678"]), text)


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


@contextmanager
def _rolled_back():
    """Every example starts from the same rows."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _messages(exc: Exception) -> list:
    if isinstance(exc, DiaryInvalid):
        return [exc.errors]
    if isinstance(exc, ValidationError):
        return exc.messages
    return [str(exc)]


@pytest.fixture
def categories(cast):
    found = seed_categories()
    retired = CategoryFactory(code="retired", name="停用类别", is_active=False)
    return [found["infra.road"], found["infra"], retired]


def _issue(categories):
    return st.builds(
        IssueData,
        title=short_text,
        category=st.sampled_from(categories),
        urgency=st.sampled_from(["normal", "urgent", "emergency", "", "soon"]),
        description=text,
        difficulty=st.sampled_from([None, "", "easy", "hard", "impossible"]),
        reporter_name=short_text,
        reporter_phone=st.sampled_from(["", "13812345678", "0575-83012345", "12", "1381234567８"]),
        reporter_address=text,
        solved_on_site=st.booleans(),
        resolution=text,
        feedback=text,
        resident_response=text,
        satisfaction=st.sampled_from(["", "satisfied", "unsatisfied", "meh"]),
    )


def _diary(cast, categories):
    today = timezone.localdate()
    return st.builds(
        DiaryData,
        station=st.sampled_from([cast.village] * 6 + [cast.village_b, cast.township]),
        visit_date=st.one_of(
            st.integers(0, 30).map(lambda back: today - datetime.timedelta(days=back)),
            st.integers(-3, 40).map(lambda back: today - datetime.timedelta(days=back)),
            st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)),
        ),
        visit_type=st.sampled_from(["household", "enterprise", "meeting", "phone", "other"] * 3 + ["party"]),
        content=text,
        latitude=st.one_of(st.none(), st.floats(-90, 90), st.sampled_from([1e308, float("nan")])),
        longitude=st.one_of(st.none(), st.floats(-180, 180)),
        visits=st.lists(
            st.builds(
                VisitData,
                kind=st.sampled_from(["household", "enterprise", "group", "cat"]),
                name=short_text,
                phone=st.sampled_from(["", "13812345678", "call me"]),
                address=text,
            ),
            max_size=3,
        ),  # fmt: skip
        issues=st.lists(_issue(categories), max_size=3),
    )


def test_diary_create_writes_all_or_nothing(cast, categories):
    outcomes = []

    @FUZZ
    @given(data=_diary(cast, categories))
    def check(data):
        with _rolled_back():
            before = _counts()
            try:
                entry = diary_create(officer=cast.officer, data=data)
            except (DiaryInvalid, ValidationError, PermissionDenied) as exc:
                assert _messages(exc), "refused without a message"
                assert _counts() == before, "a refused entry left rows behind"
                outcomes.append("refused")
                return
            outcomes.append("written")
            after = _counts()
            assert after["DiaryEntry"] == before["DiaryEntry"] + 1
            assert after["Visit"] == before["Visit"] + len(data.visits)
            assert after["Case"] == before["Case"] + len(data.issues)
            assert after["CaseEvent"] >= before["CaseEvent"] + len(data.issues)
            assert entry.content == data.content.strip() and entry.content
            assert entry.station_id == cast.village.pk
            for case, issue in zip(entry.cases.order_by("pk"), data.issues, strict=True):
                assert case.title == issue.title.strip() and case.title
                assert case.events.exists()

    check()
    assert {"written", "refused"} <= set(outcomes)


def _json_issue():
    return st.fixed_dictionaries(
        {"title": short_text, "category": st.sampled_from(["infra.road", "retired", "nope", ""])},
        optional={
            "urgency": st.sampled_from(["normal", "emergency", "later", None, 3]),
            "solved_on_site": st.one_of(st.booleans(), st.sampled_from(["yes", None])),
            "resolution": text,
            "feedback": text,
            "reporter_phone": st.sampled_from(["13812345678", "abc", 13812345678]),
            "satisfaction": st.sampled_from(["satisfied", "so-so"]),
        },
    )


junk = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.integers(), max_size=2),
    text,
)


def test_the_api_answers_any_body_with_201_or_400_and_writes_nothing_when_refusing(api, cast, categories):
    client = api.as_user(cast.officer)
    answers = []
    today = timezone.localdate().isoformat()

    @FUZZ
    @given(
        body=st.fixed_dictionaries(
            {
                "station": st.one_of(
                    *[st.just(cast.village.pk)] * 4, st.sampled_from([cast.village_b.pk, 10**20, -1]), junk
                ),
                "visit_date": st.one_of(*[st.just(today)] * 4, st.sampled_from(["2026-02-30", "99999-01-01"]), junk),
                "visit_type": st.one_of(*[st.just("household")] * 4, junk),
                "content": st.one_of(*[st.just("走访了三户村民")] * 3, text, junk),
            },
            optional={
                "location": st.one_of(junk, st.fixed_dictionaries({"lat": junk, "lng": junk})),
                "visits": st.one_of(junk, st.lists(st.dictionaries(st.sampled_from(["kind", "name", "phone"]), junk))),
                "issues": st.one_of(junk, st.lists(_json_issue(), max_size=3)),
            },
        )
    )
    def check(body):
        with _rolled_back():
            before = _counts()
            response = client.post("/api/v1/diaries/", body, format="json")
            assert response.status_code in (201, 400), (response.status_code, response.content[:300])
            answers.append(response.status_code)
            if response.status_code == 400:
                assert isinstance(response.json(), dict) and response.json()
                assert _counts() == before
            else:
                assert len(response.json()["cases"]) == len(body["issues"]) if "issues" in body else True

    check()
    assert {201, 400} <= set(answers)
