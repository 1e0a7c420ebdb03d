"""The report's written sentences, from hand-made figures (no database)."""

from django.utils import translation

from dashboards.narrative import count_change, rate_change, sentences


def _facts(**over) -> dict:
    facts = {
        "current": {"raised": 120, "completion_rate": 0.85, "on_time_rate": 0.9, "satisfaction_rate": None,
                    "overdue_open": 3},
        "previous": {"raised": 100, "completion_rate": 0.80, "on_time_rate": 0.895, "satisfaction_rate": 0.9},
        "largest_change": {"name": "甘霖镇", "before": 10, "after": 25},
        "new_hotspots": ["道路坑洼", "饮水不足"],
        "late_projects": [],
        "awards": {"running": ["甘霖镇 · 综合治理办公室"], "snail": []},
    }  # fmt: skip
    facts.update(over)
    return facts


def test_changes_up_down_and_steady():
    assert count_change(120, 100) == ("up", 20, 0.2)
    assert count_change(80, 100) == ("down", -20, -0.2)
    assert count_change(104, 100)[0] == "steady"  # under 5 %
    assert count_change(3, 0) == ("up", 3, None) and count_change(0, 0)[0] == "steady"
    assert rate_change(0.85, 0.80) == "up" and rate_change(0.80, 0.85) == "down"
    assert rate_change(0.905, 0.90) == "steady"  # under a point
    assert rate_change(None, 0.9) is None and rate_change(0.9, None) is None


def test_the_sentences_in_english():
    with translation.override("en"):
        text = sentences(_facts())
    assert text[0] == "120 issues were raised this month, up 20 (20 %) from the previous month."
    assert "The completion rate is 85.0 %, up 5.0 points." in text
    assert "The on-time completion rate is 90.0 %, steady against the previous month." in text
    assert not any("satisfaction" in s for s in text)  # no denominator: left out, never 0 %
    assert "3 of the month's cases are overdue and not closed." in text
    assert "The largest change is in 甘霖镇: 10 issues raised the previous month, 25 this month." in text
    assert "New hotspots: 道路坑洼, 饮水不足." in text
    assert "Running award: 甘霖镇 · 综合治理办公室; snail award: —." in text
    assert not any("behind schedule" in s for s in text)


def test_a_first_month_nothing_overdue_awards_pending_and_late_projects():
    facts = _facts(previous=None, largest_change=None, new_hotspots=[], late_projects=["东溪村路灯改造"], awards=None)
    facts["current"]["overdue_open"] = 0
    with translation.override("en"):
        text = sentences(facts)
    assert text[0] == "120 issues were raised this month."
    assert "The completion rate is 85.0 %." in text
    assert "None of the month's cases is overdue." in text
    assert "Projects behind schedule: 东溪村路灯改造." in text
    assert "The running and snail awards are not confirmed yet." in text
    assert not any("largest change" in s or "hotspots" in s for s in text)


def test_a_steady_count_and_a_drop():
    with translation.override("en"):
        steady = sentences(_facts(current={"raised": 102}, previous={"raised": 100}))
        down = sentences(_facts(current={"raised": 50}, previous={"raised": 100}))
        one = sentences(_facts(current={"raised": 1}, previous=None))
    assert steady[0] == "102 issues were raised this month, steady against the previous month (100)."
    assert down[0] == "50 issues were raised this month, down 50 (50 %) from the previous month."
    assert one[0] == "1 issue was raised this month."
