"""Routing rules: the suggested unit of a case waiting for dispatch, and automatic dispatch at raise time."""

import pytest

from cases import routing, services
from cases.models import Dispatch
from core.testing.factories import RaisedCaseFactory, RoutingRuleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def rule(cast, category, unit, **kw):
    return RoutingRuleFactory(category=category, unit=unit, **kw)


def test_most_specific_rule_wins(cast, road, categories):
    case = RaisedCaseFactory(cast=cast)  # road, normal difficulty, township 1
    assert routing.suggested_unit(case) is None
    rule(cast, categories["infra"], cast.department_2)  # parent category, anywhere
    assert routing.suggested_unit(case) == cast.department_2
    rule(cast, road, cast.department, difficulty="normal")
    assert routing.suggested_unit(case) == cast.department
    rule(cast, road, cast.office, township=cast.township)
    assert routing.suggested_unit(case) == cast.office
    rule(cast, road, cast.office_b, township=cast.township_b, difficulty="normal")
    assert routing.suggested_unit(case) == cast.office


def test_rules_of_another_level_difficulty_or_inactive_do_not_match(cast, road):
    case = RaisedCaseFactory(cast=cast)
    rule(cast, road, cast.department, level="city")
    rule(cast, road, cast.department_2, difficulty="hard")
    rule(cast, road, cast.office, is_active=False)
    assert routing.suggested_unit(case) is None
    case = services.case_escalate(case_id=case.pk, by=cast.township_staff, reason="市级")
    assert routing.suggested_unit(case) == cast.department


def test_suggestions_only_for_cases_waiting_for_dispatch(cast, road):
    rule(cast, road, cast.office)
    case = RaisedCaseFactory(cast=cast, stage="dispatched")
    assert routing.rules_for([case]) == {}


def test_automatic_rule_dispatches_at_raise_time(cast, road):
    rule(cast, road, cast.office, township=cast.township, auto_dispatch=True)
    case = RaisedCaseFactory(cast=cast)
    assert (case.status, case.unit) == ("pending_sign", cast.office)
    dispatch = Dispatch.objects.get(case=case)
    assert dispatch.dispatched_by is None and dispatch.sign_due == case.sign_due
    actions = list(case.events.values_list("action", "actor"))
    assert actions == [("raise", cast.officer.pk), ("dispatch", None)]


def test_automatic_rule_with_a_unit_that_does_not_fit_leaves_it_to_the_desk(cast, road):
    rule(cast, road, cast.office_b, auto_dispatch=True)  # another township's office
    case = RaisedCaseFactory(cast=cast)
    assert case.status == "pending_dispatch" and not Dispatch.objects.exists()


def test_on_site_cases_are_never_routed(cast, road):
    rule(cast, road, cast.office, auto_dispatch=True)
    case = RaisedCaseFactory(cast=cast, solved_on_site=True, resolution="当场解决", feedback="已告知")
    assert case.status == "pending_callback" and not Dispatch.objects.exists()
