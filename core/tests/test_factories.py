"""core.testing.factories covers every model, each factory makes a valid row on its own,
and RaisedCaseFactory leaves a case in the status of each stage of core.testing.lifecycle."""

import factory
import pytest
from django.apps import apps

from core.testing import factories
from core.testing.lifecycle import STAGES

pytestmark = pytest.mark.django_db

APPS = (
    "accounts",
    "audit",
    "cases",
    "core",
    "dashboards",
    "diaries",
    "households",
    "integrations",
    "notifications",
    "oversight",
    "residents",
)
MODEL_FACTORIES = [
    f for f in vars(factories).values()
    if isinstance(f, type) and issubclass(f, factory.django.DjangoModelFactory) and f._meta.model is not None
]  # fmt: skip
# These stand on the cast (its people raise the case and take the steps): tested with it below.
NEED_THE_CAST = {factories.RaisedCaseFactory, factories.VillageCaseFactory}


def test_every_model_of_the_apps_has_a_factory():
    models = {m for m in apps.get_models() if m._meta.app_label in APPS}
    assert sorted(m.__name__ for m in models - {f._meta.model for f in MODEL_FACTORIES}) == []


@pytest.mark.parametrize("make", sorted(set(MODEL_FACTORIES) - NEED_THE_CAST, key=lambda f: f.__name__),
                         ids=lambda f: f.__name__)  # fmt: skip
def test_each_factory_makes_a_valid_row_on_its_own(make, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    row = make()
    row.refresh_from_db()
    row.full_clean()


STATUS_OF_STAGE = {
    "raised": "pending_dispatch", "dispatched": "pending_sign", "signed": "in_progress",
    "extension_pending": "in_progress", "replied": "pending_review", "approved": "pending_feedback",
    "fed_back": "pending_callback", "closed": "closed", "closed_unhappy": "closed", "escalated": "pending_dispatch",
    "city_dispatched": "pending_sign", "hold_pending": "in_progress", "held": "in_progress",
    "unreasonable_pending": "in_progress",
}  # fmt: skip


@pytest.mark.parametrize("stage", STAGES)
def test_a_raised_case_is_walked_to_each_stage(cast, stage):
    case = factories.RaisedCaseFactory(cast=cast, stage=stage)
    case.refresh_from_db()
    assert case.status == STATUS_OF_STAGE[stage]
    assert case.extensions.filter(decision="pending").exists() == (stage == "extension_pending")


def test_a_village_case_runs_the_clock_of_its_status_and_is_numbered(cast):
    case = factories.VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-26 10:00", unit=cast.office)
    case.refresh_from_db()
    case.full_clean()
    assert (case.clock, case.handle_due, case.officer, case.station) == (
        "handle",
        case.due_at,
        cast.officer,
        cast.village,
    )
    assert case.code == f"SZ-2026-{case.pk:06d}"


def test_an_instruction_stands_on_a_case_or_a_project_never_both():
    on_case = factories.InstructionFactory()
    on_project = factories.InstructionFactory(case=None, project=factories.ProjectFactory())
    for row in (on_case, on_project):
        row.full_clean()
    assert on_case.carried_out_at is None and on_project.case is None
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        factories.InstructionFactory(project=on_project.project)
