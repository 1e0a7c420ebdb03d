"""民生项目 followed through: set-up, milestones, progress updates with feedback drafts, the late sweep,
and the API and pages that reach them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from cases.choices import Action, ProjectStatus, Status
from cases.models import Case, CaseEvent, Feedback, Project, ProjectMilestone, ProjectUpdate
from cases.services.project_progress import milestone_add, milestone_complete, progress_update
from cases.services.projects import project_create, project_update
from cases.sweep import sweep
from cases.tests.test_projects_api import alike_cases
from core.testing.factories import CallbackFactory, ProjectFactory, ProjectMilestoneFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast, categories, township_c):
    """Three alike cases of three townships, led by the transport department (dept_handler's unit)."""
    cases = alike_cases(cast, categories, township_c, timezone.now())
    made = project_create(by=cast.city_office, title="公路整治", case_ids=[c.pk for c in cases],
                          lead_unit=cast.department)  # fmt: skip
    made.linked = cases
    return made


def today():
    return timezone.localdate()


# --- services -------------------------------------------------------------------------------------


def test_update_checks_money_and_percent_and_writes_nothing_when_wrong(cast, project):
    for bad in ({"budget": "-1"}, {"spent": "abc"}, {"budget": "1.234"}, {"percent": 101}, {"percent": -5},
                {"percent": "x"}, {"status": "finished"}, {"lead_unit": cast.village.pk},
                {"assisting_units": [cast.city.pk]}):  # fmt: skip
        with pytest.raises(ValidationError):
            project_update(by=cast.city_office, project=project, **bad)
    project.refresh_from_db()
    assert (project.budget, project.spent, project.progress_percent) == (0, 0, 0)
    project_update(by=cast.city_office, project=project, budget="12.50", spent="20", percent=40,
                   status=ProjectStatus.UNDER_WAY, assisting_units=[cast.office.pk])  # fmt: skip
    project.refresh_from_db()
    assert (project.budget, project.spent, project.progress_percent) == (Decimal("12.50"), Decimal("20"), 40)
    assert project.overspent and project.remaining == Decimal("-7.50")  # allowed, flagged on the page
    assert list(project.assisting_units.all()) == [cast.office]
    assert AuditEvent.objects.filter(action="project_update", object_id=str(project.pk)).count() == 1
    with pytest.raises(PermissionDenied):
        project_update(by=cast.dept_handler, project=project, budget="1")


def test_status_replaces_is_done(cast, project):
    assert project.status == ProjectStatus.PLANNED and not project.is_done
    project_update(by=cast.city_office, project=project, status=ProjectStatus.DONE)
    project.refresh_from_db()
    assert project.is_done


@pytest.mark.django_db(transaction=True)
def test_the_migration_maps_done_to_the_done_status(cast):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("cases", "0014_external_sources")], [("cases", "0015_project_followthrough")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("cases", "Project")
    done = old.objects.create(title="已完成", city_id=cast.city.pk, created_by_id=cast.city_office.pk, is_done=True)
    open_ = old.objects.create(title="进行中", city_id=cast.city.pk, created_by_id=cast.city_office.pk)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    try:
        executor.migrate(after)
        assert Project.objects.get(pk=done.pk).status == ProjectStatus.DONE
        assert Project.objects.get(pk=open_.pk).status == ProjectStatus.PLANNED
    finally:
        # Back to the whole schema: the tests after this one share the database.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_progress_update_drafts_open_linked_cases_only_and_closes_nothing(cast, project):
    open_a, open_b, closed = project.linked
    Case.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    statuses = {c.pk: Case.objects.get(pk=c.pk).status for c in project.linked}
    update = progress_update(by=cast.dept_handler, project=project, text="路面已铺设一半", percent=50,
                             draft_to_cases=True)  # fmt: skip
    assert update.drafted_cases == 2
    for c in Case.objects.filter(pk__in=statuses):
        assert c.status == statuses[c.pk]  # nothing fed back, nothing closed
        assert c.feedback_draft == ("" if c.pk == closed.pk else "路面已铺设一半")
    assert set(CaseEvent.objects.filter(action=Action.PROJECT_UPDATE_DRAFTED).values_list("case_id", flat=True)) == {
        open_a.pk, open_b.pk}  # fmt: skip
    assert not Feedback.objects.exists()
    project.refresh_from_db()
    assert (project.progress, project.progress_percent, project.status) == (
        "路面已铺设一半",
        50,
        ProjectStatus.UNDER_WAY,
    )


def test_progress_update_without_drafts_and_its_refusals(cast, project):
    update = progress_update(by=cast.city_office, project=project, text="已招标", percent=10)
    assert update.drafted_cases == 0 and not Case.objects.exclude(feedback_draft="").exists()
    for bad in ({"text": "", "percent": 10}, {"text": "x", "percent": 120}, {"text": "x" * 5000, "percent": 1}):
        with pytest.raises(ValidationError):
            progress_update(by=cast.city_office, project=project, **bad)
    for who in (cast.office_handler, cast.leader, cast.township_staff):  # not the lead unit, nor the city office
        with pytest.raises(PermissionDenied):
            progress_update(by=who, project=project, text="x", percent=1)
    assert ProjectUpdate.objects.count() == 1


def test_milestones_add_and_complete(cast, project):
    with pytest.raises(ValidationError):
        milestone_add(
            by=cast.city_office, project=project, title="设计", planned_on=today() - datetime.timedelta(days=1)
        )
    with pytest.raises(PermissionDenied):  # the lead unit completes milestones, the city office plans them
        milestone_add(by=cast.dept_handler, project=project, title="设计", planned_on=today())
    m = milestone_add(by=cast.city_office, project=project, title="设计", planned_on=today())
    with pytest.raises(ValidationError):
        milestone_complete(by=cast.dept_handler, project=project, milestone_id=m.pk,
                           done_on=today() + datetime.timedelta(days=1))  # fmt: skip
    milestone_complete(by=cast.dept_handler, project=project, milestone_id=m.pk)
    m.refresh_from_db()
    assert m.done_on == today()
    with pytest.raises(ValidationError):
        milestone_complete(by=cast.dept_handler, project=project, milestone_id=m.pk)
    other = ProjectMilestoneFactory()
    with pytest.raises(ProjectMilestone.DoesNotExist):
        milestone_complete(by=cast.city_office, project=project, milestone_id=other.pk)


def test_a_hotspot_project_needs_its_lead_unit_and_first_milestone(cast, categories, township_c):
    cases = alike_cases(cast, categories, township_c, timezone.now())
    ids = [c.pk for c in cases]
    for lead, milestone in ((None, ("设计", today())), (cast.department, ("", today())),
                            (cast.department, ("设计", today() - datetime.timedelta(days=1)))):  # fmt: skip
        with pytest.raises(ValidationError):
            project_create(by=cast.city_office, title="x", case_ids=ids, lead_unit=lead, milestone=milestone,
                           require_lead=True)  # fmt: skip
    assert not Project.objects.exists() and not Case.objects.filter(project__isnull=False).exists()


def test_feedback_is_prefilled_from_the_draft_and_clears_it(cast, project):
    from cases.forms import FeedbackForm

    case = project.linked[0]
    progress_update(by=cast.city_office, project=project, text="已修复", percent=100, draft_to_cases=True)
    case.refresh_from_db()
    assert FeedbackForm(case=case, prefix="feedback").initial["content"] == "已修复"


# --- sweep ----------------------------------------------------------------------------------------


def test_a_late_milestone_flags_the_project_and_tells_once(cast, project, clock):
    due = today() + datetime.timedelta(days=3)
    m = milestone_add(by=cast.city_office, project=project, title="完成设计", planned_on=due)
    later = milestone_add(by=cast.city_office, project=project, title="完工", planned_on=due + datetime.timedelta(30))
    sweep(now=timezone.now())
    project.refresh_from_db()
    assert not project.is_late
    clock.move_to(timezone.now() + datetime.timedelta(days=5))
    counts = sweep(now=timezone.now())
    assert counts["project_late"] == 1
    project.refresh_from_db()
    m.refresh_from_db()
    assert project.is_late and m.late_noticed_on == today()
    told = set(Notification.objects.filter(kind="project.milestone_late").values_list("recipient_id", flat=True))
    assert told == {cast.city_office.pk, cast.dept_handler.pk}
    assert sweep(now=timezone.now())["project_late"] == 0  # once per milestone
    assert Notification.objects.filter(kind="project.milestone_late").count() == 2
    milestone_complete(by=cast.dept_handler, project=project, milestone_id=m.pk)
    project.refresh_from_db()
    assert not project.is_late  # the late one is done; the later one is not due yet
    later.refresh_from_db()
    assert later.late_noticed_on is None


# --- API ------------------------------------------------------------------------------------------


def test_api_patch_and_sub_routes(api, cast, project):
    base = f"/api/v1/projects/{project.pk}/"
    office = api.as_user(cast.city_office)
    r = office.patch(base, {"budget": "30.00", "spent": "12.5", "progress_percent": 20, "status": "under_way",
                            "lead_unit": cast.department.pk, "assisting_units": [cast.office.pk]}, format="json")  # fmt: skip
    body = r.json()
    assert r.status_code == 200, body
    assert (body["budget"], body["spent"], body["remaining"], body["status"]) == (
        "30.00",
        "12.50",
        "17.50",
        "under_way",
    )
    assert body["assisting_units"] == [cast.office.pk] and body["milestones"] == []
    assert office.patch(base, {"progress_percent": 150}, format="json").status_code == 400
    assert office.patch(base, {"budget": "-1"}, format="json").status_code == 400
    assert office.patch(base, {"lead_unit": cast.village.pk}, format="json").status_code == 400
    planned = (today() + datetime.timedelta(days=10)).isoformat()
    r = office.post(f"{base}milestones/", {"title": "完成设计", "planned_on": planned}, format="json")
    assert r.status_code == 201
    mid = r.json()["id"]
    assert (
        office.post(f"{base}milestones/", {"title": "x", "planned_on": "2000-01-01"}, format="json").status_code == 400
    )
    assert api.as_user(cast.dept_handler).get(base).json()["milestones"][0]["title"] == "完成设计"
    r = api.as_user(cast.dept_handler).post(f"{base}milestones/{mid}/complete/", {}, format="json")
    assert r.status_code == 200 and r.json()["done_on"] == today().isoformat()
    assert office.post(f"{base}milestones/987654/complete/", {}, format="json").status_code == 404
    r = api.as_user(cast.dept_handler).post(f"{base}updates/", {"text": "过半", "percent": 55, "draft_to_cases": True},
                                            format="json")  # fmt: skip
    assert r.status_code == 201 and r.json()["drafted_cases"] == 3
    assert office.post(f"{base}updates/", {"text": "x", "percent": 101}, format="json").status_code == 400


def test_api_sub_routes_are_404_outside_the_scope(api, cast, project):
    elsewhere = ProjectFactory()
    m = ProjectMilestoneFactory(project=elsewhere)
    office = api.as_user(cast.city_office)
    base = f"/api/v1/projects/{elsewhere.pk}/"
    assert office.get(base).status_code == 404
    assert office.patch(base, {"budget": "1"}, format="json").status_code == 404
    assert office.post(f"{base}milestones/", {"title": "x", "planned_on": today().isoformat()},
                       format="json").status_code == 404  # fmt: skip
    assert office.post(f"{base}milestones/{m.pk}/complete/", {}, format="json").status_code == 404
    assert office.post(f"{base}updates/", {"text": "x", "percent": 1}, format="json").status_code == 404
    # Another project's milestone through this project's path.
    assert (
        office.post(f"/api/v1/projects/{project.pk}/milestones/{m.pk}/complete/", {}, format="json").status_code == 404
    )


# --- pages ----------------------------------------------------------------------------------------


def test_project_page_shows_money_milestones_cases_by_township_and_history(client, cast, project):
    project_update(by=cast.city_office, project=project, budget="10", spent="12")
    ProjectMilestoneFactory(project=project, title="完成设计", planned_on=today() - datetime.timedelta(days=2))
    CallbackFactory(case=project.linked[0], satisfaction="satisfied")
    progress_update(by=cast.city_office, project=project, text="施工过半", percent=50)
    client.force_login(cast.city_office)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    for text in ("完成设计", 'id="overspent"', "-2.00", "施工过半", "50%", "甘霖镇", "长乐镇", "三界镇", "满意", 'id="form-setup"',
                 'id="form-milestone"', 'id="form-update"'):  # fmt: skip
        assert text in page, text
    client.force_login(cast.dept_handler)  # the lead unit: reports progress, plans nothing
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'id="form-update"' in page and 'id="form-milestone"' not in page and 'id="form-setup"' not in page
    listing = client.get("/projects/").content.decode()
    assert "公路整治" in listing and "50%" in listing


def test_project_page_forms_show_errors_and_write_nothing(client, cast, project):
    client.force_login(cast.city_office)
    r = client.post(f"/projects/{project.pk}/milestones/", {"title": "", "planned_on": "2000-01-01"})
    assert r.status_code == 400 and not ProjectMilestone.objects.exists()
    r = client.post(f"/projects/{project.pk}/updates/", {"text": "x", "percent": "300"})
    assert r.status_code == 400 and not ProjectUpdate.objects.exists()
    r = client.post(f"/projects/{project.pk}/", {"status": "done", "budget": "-3", "spent": "0"})
    assert r.status_code == 400
    project.refresh_from_db()
    assert project.status == ProjectStatus.PLANNED


def test_draft_shows_on_the_case_page(client, cast, project):
    client.force_login(cast.city_office)
    r = client.post(
        f"/projects/{project.pk}/updates/", {"text": "路面已修复", "percent": "100", "draft_to_cases": "on"}
    )
    assert r.status_code == 302
    page = client.get(f"/cases/{project.linked[0].pk}/").content.decode()
    assert 'id="feedback-draft"' in page and "路面已修复" in page


def test_hotspot_form_refuses_bad_input(client, cast, categories, township_c):
    from dashboards.services.hotspots import hotspots_detect

    alike_cases(cast, categories, township_c, timezone.now())
    spots = hotspots_detect(city=cast.city, now=timezone.now())
    if not spots:
        pytest.skip("no hotspot detected on three cases")
    spot = spots[0]
    client.force_login(cast.city_office)
    for body in ({"title": "", "lead_unit": cast.department.pk, "milestone_title": "a", "milestone_on": today()},
                 {"title": "x", "lead_unit": "", "milestone_title": "a", "milestone_on": today()},
                 {"title": "x", "lead_unit": cast.department.pk, "milestone_title": "a",
                  "milestone_on": today() - datetime.timedelta(days=1)}):  # fmt: skip
        r = client.post(f"/dashboard/hotspots/{spot.pk}/project/", body)
        assert r.status_code == 400, body
    assert not Project.objects.exists()
