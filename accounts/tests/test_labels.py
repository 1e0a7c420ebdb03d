"""A unit's display name (METRICS.md): 「parent · name」 wherever the name repeats, the plain name otherwise."""

import pytest

from accounts import services
from accounts.models import OrgUnit
from core.testing.factories import OfficeFactory, TownshipFactory

pytestmark = pytest.mark.django_db

LABEL_A = "甘霖镇 · 综合治理办公室"
LABEL_B = "长乐镇 · 综合治理办公室"


def label(unit: OrgUnit) -> str:
    return OrgUnit.objects.get(pk=unit.pk).label


def test_repeated_names_carry_their_parent_and_unique_ones_stay_plain(cast):
    # cast.office was built before office_b repeated its name: read it back.
    assert str(OrgUnit.objects.get(pk=cast.office.pk)) == LABEL_A and str(cast.office_b) == LABEL_B
    assert str(cast.village) == "东溪村" and str(cast.township) == "甘霖镇"


def test_a_new_unit_of_a_used_name_relabels_the_first(db):
    first = OfficeFactory(name="信访办", parent=TownshipFactory(name="三界镇"))
    assert str(first) == "信访办"
    second = OfficeFactory(name="信访办", parent=TownshipFactory(name="崇仁镇"))
    assert str(second) == "崇仁镇 · 信访办" and label(first) == "三界镇 · 信访办"


def test_renaming_one_of_two_back_to_unique_makes_both_plain(cast):
    cast.office_b.name = "长乐镇综治办"
    services.org_unit_save(cast.office_b)
    assert str(cast.office_b) == "长乐镇综治办"
    assert label(cast.office) == "综合治理办公室"
    cast.office_b.name = "综合治理办公室"
    services.org_unit_save(cast.office_b)
    assert (label(cast.office), label(cast.office_b)) == (LABEL_A, LABEL_B)


def test_renaming_or_moving_follows_the_parent(cast):
    cast.township.name = "甘霖新镇"
    services.org_unit_save(cast.township)
    assert label(cast.office) == "甘霖新镇 · 综合治理办公室"
    cast.office_b.parent = cast.township
    services.org_unit_save(cast.office_b)
    assert label(cast.office_b) == "甘霖新镇 · 综合治理办公室"


def test_relabel_all_fills_rows_written_without_the_service(cast):
    OrgUnit.objects.update(label="")
    services.org_units_relabel()
    assert (label(cast.office), label(cast.office_b), label(cast.village)) == (LABEL_A, LABEL_B, "东溪村")


def test_admin_lists_and_autocompletes_units_by_label(client, cast):
    client.force_login(cast.admin)
    url = "/admin/autocomplete/"
    params = {"app_label": "cases", "model_name": "routingrule", "field_name": "unit"}
    found = client.get(url, {**params, "term": "综合治理"})
    assert found.status_code == 200, found.content[:300]
    assert {r["text"] for r in found.json()["results"]} == {LABEL_A, LABEL_B}
    # The township's name finds its own office.
    assert LABEL_B in {r["text"] for r in client.get(url, {**params, "term": "长乐"}).json()["results"]}
    changelist = client.get("/admin/accounts/orgunit/", {"q": "综合治理"}).content.decode()
    assert LABEL_A in changelist and LABEL_B in changelist
