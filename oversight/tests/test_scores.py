"""考核: a month's scores against figures computed by hand, the settings' validation, the API and the page."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.testing.factories import (
    OfficeFactory,
    ScoreSettingsFactory,
)
from dashboards.services.rollup import rollup_day
from oversight.models import ScoreSettings
from oversight.scores import Counted, score_of
from oversight.tests.october import SAT, by_label, handled

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

URL = "/api/v1/stats/scores/"


def test_unit_scores_match_the_hand_computed_figures(api, october):
    rows = api.as_user(october.city_office).get(URL, {"month": "2026-10", "kind": "unit"}).json()
    dept, office = october.department.label, october.office_b.label
    assert [r["unit"]["label"] for r in rows] == [dept, office]  # best first
    d = by_label(rows)[dept]
    # Department (d4 on hold and d6 found unreasonable are left out): dispatches d1 d2 d3 d5, signed in time d1 d3 d5 → 3/4 = 0.75 → 30 × 0.75
    # = 22.5; closed d1 d2 d3 d5, on time d1 d3 d5 → 0.75 (≥ 70 %) → 35 × 0.75 = 26.25; callbacks answered d1 d2 d3,
    # satisfied d1 d2 → 0.6667 → 35 × 0.6667 = 23.33. 22.5 + 26.25 + 23.33 = 72.08, one overdue order − 2 → 70.1, C.
    assert d["components"]["response_rate"] == {"value": 0.75, "points": 22.5, "weight": 30}
    assert d["components"]["on_time_rate"] == {"value": 0.75, "points": 26.25, "weight": 35}
    assert d["components"]["satisfaction_rate"] == {"value": 0.6667, "points": 23.33, "weight": 35}
    assert d["deductions"] == {
        "overdue_orders": {"count": 1, "points": 2.0},
        "wrong_returns": {"count": 0, "points": 0.0},
    }
    assert (d["score"], d["grade"]) == (70.1, "C")
    o = by_label(rows)[office]
    # Office B: dispatches o1 (returned in time), o1 again, o2, o3 all answered in time → 1.0 → 30; closed o1 o2 o3,
    # on time o1 → 0.3333, under the 70 % threshold → 0; satisfied o1 o2 of 2 → 1.0 → 35. 65 − 1 return found wrong.
    assert o["components"]["response_rate"]["points"] == 30.0
    assert o["components"]["on_time_rate"] == {"value": 0.3333, "points": 0.0, "weight": 35}
    assert o["components"]["satisfaction_rate"]["points"] == 35.0
    assert o["deductions"]["wrong_returns"] == {"count": 1, "points": 1.0}
    assert (o["score"], o["grade"]) == (64.0, "C")


def test_township_scores_match_the_hand_computed_figures(api, october):
    rows = api.as_user(october.city_office).get(URL, {"month": "2026-10", "kind": "township"}).json()
    a, b = by_label(rows)[october.township.label], by_label(rows)[october.township_b.label]
    # Township A: d1 d2 d3 (d4 held, d6 unreasonable). Responded d1 d3 of 3 → 0.6667 → 30 × 0.6667 = 20.0; on time 2 of 3 = 66.67 %,
    # under 70 % → 0; satisfied d1 d2 of 3 → 0.6667 → 23.33. 43.33 − 2 (d1's order) = 41.3.
    assert [a["components"][k]["points"] for k in ("response_rate", "on_time_rate", "satisfaction_rate")] == [
        20.0, 0.0, 23.33,
    ]  # fmt: skip
    assert (a["score"], a["grade"], a["deductions"]["overdue_orders"]["count"]) == (41.3, "C", 1)
    # Township B: d5 o1 o1 o2 o3 all answered in time → 30; on time d5 o1 of 4 = 50 % → 0; satisfied 2 of 2 → 35.
    # 65 − 1 (o1's return) = 64.0.
    assert b["components"]["on_time_rate"] == {"value": 0.5, "points": 0.0, "weight": 35}
    assert (b["score"], b["deductions"]["wrong_returns"]["count"]) == (64.0, 1)
    assert [r["unit"]["label"] for r in rows] == [october.township_b.label, october.township.label]


@pytest.mark.parametrize("kind", ["unit", "township"])
def test_rolled_up_days_change_nothing(api, october, kind):
    """Rolled-up days are read from the roll-ups, which know no single case: the left-out cases' own
    counters are taken away, so the held and unreasonable cases stay out all the same."""
    client = api.as_user(october.city_office)
    before = client.get(URL, {"month": "2026-10", "kind": kind}).json()
    for day in range(1, 32):
        rollup_day(datetime.date(2026, 10, day))
    assert client.get(URL, {"month": "2026-10", "kind": kind}).json() == before


def test_a_township_sees_the_units_of_its_own_cases_only(api, october):
    rows = api.as_user(october.township_staff_b).get(URL, {"month": "2026-10"}).json()
    d = by_label(rows)[october.department.label]
    # Township B's staff see the department through d5 alone: one dispatch in time, on time, no callback.
    assert d["components"]["response_rate"]["value"] == 1.0 and d["components"]["satisfaction_rate"]["value"] is None
    # Satisfaction cannot be measured: the other weights carry the score, 30 + 35 of 65 → 100.
    assert (d["score"], d["grade"], d["deductions"]["overdue_orders"]["count"]) == (100.0, "A", 0)


def test_the_settings_change_the_scores(api, october):
    ScoreSettingsFactory(threshold_on_time_rate=0, grade_b=60, per_wrong_return=5)
    o = by_label(api.as_user(october.city_office).get(URL, {"month": "2026-10"}).json())[october.office_b.label]
    # 30 + 35 × 0.3333 (= 11.67) + 35 − 5 = 71.67 → 71.7, grade B from 60.
    assert (o["score"], o["grade"]) == (71.7, "B")


def test_score_is_clamped_and_graded():
    settings = ScoreSettings()
    full = Counted({"response_rate": 1.0, "on_time_rate": 1.0, "satisfaction_rate": 1.0})
    assert score_of(full, settings)["score"] == 100.0 and score_of(full, settings)["grade"] == "A"
    worst = Counted({"response_rate": 0.1, "on_time_rate": 0.1, "satisfaction_rate": 0.1}, overdue_orders=9)
    assert score_of(worst, settings)["score"] == 0.0 and score_of(worst, settings)["grade"] == "C"
    b = Counted({"response_rate": 0.8, "on_time_rate": 0.8, "satisfaction_rate": 0.8})
    assert (score_of(b, settings)["score"], score_of(b, settings)["grade"]) == (80.0, "B")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"weight_response_rate": 40}, "weight_response_rate", "之和必须为 100"),
        ({"grade_a": 70}, "grade_a", "必须高于 B 档"),
        ({"per_overdue_order": -1}, "per_overdue_order", "不能为负数"),
        ({"weight_on_time_rate": -5, "weight_satisfaction_rate": 75}, "weight_on_time_rate", "不能为负数"),
        ({"threshold_on_time_rate": 120}, "threshold_on_time_rate", "100"),
    ],
)
def test_bad_settings_are_refused_with_a_message(fields, field, message):
    with pytest.raises(ValidationError) as refused:
        ScoreSettings(**fields).full_clean()
    assert message in " ".join(refused.value.message_dict[field])
    ScoreSettings().full_clean()  # the defaults are valid


def test_the_admin_form_refuses_weights_that_do_not_add_up(client, cast):
    client.force_login(cast.admin)
    data = {"weight_response_rate": 30, "weight_on_time_rate": 30, "weight_satisfaction_rate": 30,
            "threshold_response_rate": 0, "threshold_on_time_rate": 70, "threshold_satisfaction_rate": 0,
            "grade_a": 90, "grade_b": 75, "per_overdue_order": 2, "per_wrong_return": 1}  # fmt: skip
    answer = client.post("/admin/oversight/scoresettings/add/", data)
    assert answer.status_code == 200 and "100" in answer.content.decode()
    assert not ScoreSettings.objects.exists()
    answer = client.post("/admin/oversight/scoresettings/add/", {**data, "weight_satisfaction_rate": 40})
    assert answer.status_code == 302 and ScoreSettings.current().weight_satisfaction_rate == 40


@pytest.mark.parametrize(
    "params", [{"month": "2026-13"}, {"month": "abcd"}, {"month": "9999-01"}, {"kind": "officer"}, {"kind": "x" * 300}]
)
def test_bad_month_or_kind_is_400(api, cast, params):
    answer = api.as_user(cast.city_office).get(URL, params)
    assert answer.status_code == 400 and set(answer.json()) == set(params)


def test_unit_handlers_see_no_scores(api, cast):
    assert api.as_user(cast.dept_handler).get(URL).status_code == 403


def test_the_page_links_each_figure_to_its_cases(client, october):
    client.force_login(october.city_office)
    page = client.get("/dashboard/scores/", {"month": "2026-10"}).content.decode()
    assert "70.1" in page and "64.0" in page
    assert f'href="/cases/?date_from=2026-10-01&amp;date_to=2026-10-31&amp;unit={october.department.pk}' in page
    assert 'data-figure="on_time_rate"' in page and 'data-figure="overdue_orders"' in page
    townships = client.get("/dashboard/scores/", {"month": "2026-10", "kind": "township"}).content.decode()
    assert f"township={october.township_b.pk}" in townships and "41.3" in townships
    # A bad month is said beside the picker; the page still answers.
    bad = client.get("/dashboard/scores/", {"month": "2026-13"})
    assert bad.status_code == 200 and "YYYY-MM" in bad.content.decode()


def test_the_api_takes_as_many_queries_however_many_units(api, october, django_assert_max_num_queries):
    client = api.as_user(october.city_office)
    with django_assert_max_num_queries(20) as few:
        assert len(client.get(URL, {"month": "2026-10"}).json()) == 2
    for n in range(4):
        unit = OfficeFactory(parent=october.township_b, name=f"办公室{n}")
        handled(october, unit, 10 + n, township=october.township_b, callback=SAT)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(URL, {"month": "2026-10"}).json()) == 6
