"""批示: a leader's instruction on a case or a project, and the desk's report of how it was carried out."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from cases import services
from cases.actions import ActionForbidden
from cases.choices import Action
from cases.models import Case, CaseEvent, Instruction, Project
from core.testing.factories import InstructionFactory, ProjectFactory, RaisedCaseFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


# --- services ---------------------------------------------------------------------------------------------


def test_a_leader_writes_an_instruction_the_case_stays_and_desk_and_unit_hear(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    services.case_instruction(case_id=case.pk, by=cast.township_leader, content=" 请三天内修复 ")
    case.refresh_from_db()
    assert case.status == "in_progress"
    instruction = Instruction.objects.get(case=case)
    assert (instruction.author, instruction.content, instruction.carried_out_at) == (
        cast.township_leader,
        "请三天内修复",
        None,
    )
    event = CaseEvent.objects.get(case=case, action=Action.INSTRUCTION)
    assert (event.from_status, event.to_status, event.note) == ("in_progress", "in_progress", "请三天内修复")
    assert event.data == {"instruction": instruction.pk}
    assert {"township_staff", "office_handler"} <= told("case.instruction")
    assert "township_leader" not in told("case.instruction")


def test_a_closed_case_takes_an_instruction_too(cast):
    case = RaisedCaseFactory(cast=cast, stage="closed")
    services.case_instruction(case_id=case.pk, by=cast.leader, content="举一反三")
    assert Instruction.objects.filter(case=case).count() == 1


def test_outside_the_leaders_area_is_404_and_nothing_is_written(cast):
    case_b = RaisedCaseFactory(cast=cast, by=cast.officer_b, township=cast.township_b, station=cast.village_b)
    with pytest.raises(Case.DoesNotExist):
        services.case_instruction(case_id=case_b.pk, by=cast.township_leader, content="请处理")
    assert not Instruction.objects.exists()


def test_empty_or_too_long_content_is_400_and_nothing_is_written(cast):
    case = RaisedCaseFactory(cast=cast)
    for content in ("   ", "字" * 2001):
        with pytest.raises(ValidationError) as refused:
            services.case_instruction(case_id=case.pk, by=cast.leader, content=content)
        assert "content" in refused.value.message_dict
    assert not Instruction.objects.exists()
    assert not CaseEvent.objects.filter(action=Action.INSTRUCTION).exists()


def test_only_a_leader_writes_one_and_a_leader_takes_no_other_action(cast):
    case = RaisedCaseFactory(cast=cast)
    with pytest.raises(ActionForbidden):
        services.case_instruction(case_id=case.pk, by=cast.township_staff, content="请处理")
    with pytest.raises(ActionForbidden):
        services.case_dispatch(case_id=case.pk, by=cast.township_leader, unit=cast.office)
    with pytest.raises(ActionForbidden):
        services.case_supervise(case_id=case.pk, by=cast.leader)


def test_the_desk_reports_how_it_was_carried_out_and_the_author_hears(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    services.case_instruction(case_id=case.pk, by=cast.township_leader, content="请三天内修复")
    instruction = Instruction.objects.get(case=case)
    services.case_instruction_report(case_id=case.pk, by=cast.township_staff, instruction=instruction.pk,
                                     content="已协调施工队修复")  # fmt: skip
    instruction.refresh_from_db()
    assert (instruction.carried_out, instruction.carried_out_by) == ("已协调施工队修复", cast.township_staff)
    assert instruction.carried_out_at is not None
    assert CaseEvent.objects.get(case=case, action=Action.INSTRUCTION_REPORT).data["instruction"] == instruction.pk
    assert told("case.instruction_report") == {"township_leader"}


def test_a_report_names_an_open_instruction_of_this_case(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    other = InstructionFactory(author=cast.leader)
    done = InstructionFactory(case=case, author=cast.leader, carried_out="已办", carried_out_at=case.created_at)
    for wrong in (other.pk, done.pk, 999999, "x"):
        with pytest.raises(ValidationError) as refused:
            services.case_instruction_report(case_id=case.pk, by=cast.township_staff, instruction=wrong, content="已办")
        assert "instruction" in refused.value.message_dict
    assert not CaseEvent.objects.filter(action=Action.INSTRUCTION_REPORT).exists()


def test_a_unit_handler_does_not_report(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    instruction = InstructionFactory(case=case, author=cast.leader)
    with pytest.raises(ActionForbidden):
        services.case_instruction_report(case_id=case.pk, by=cast.office_handler, instruction=instruction.pk,
                                         content="已办")  # fmt: skip


def test_a_leader_instructs_a_project_the_lead_unit_and_city_office_hear(cast):
    project = ProjectFactory(cast=cast, lead_unit=cast.office)
    instruction = services.project_instruction(project_id=project.pk, by=cast.leader, content="加快推进")
    assert (instruction.project, instruction.case) == (project, None)
    assert told("project.instruction") == {"city_office", "office_handler"}
    assert AuditEvent.objects.filter(action="project_instruction", outcome="ok").count() == 1


def test_a_project_outside_the_leaders_scope_is_404(cast):
    project = ProjectFactory(cast=cast)  # no case of the township leader's township
    with pytest.raises(Project.DoesNotExist):
        services.project_instruction(project_id=project.pk, by=cast.township_leader, content="加快推进")
    with pytest.raises(ActionForbidden):
        services.project_instruction(project_id=project.pk, by=cast.city_office, content="加快推进")
    assert not Instruction.objects.exists()


# --- API ---------------------------------------------------------------------------------------------------


def test_api_instruction_and_report_and_the_detail_lists_them(api, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    leader = api.as_user(cast.township_leader)
    r = leader.post(f"/api/v1/cases/{case.pk}/instruction/", {"content": "请三天内修复"}, format="json")
    assert r.status_code == 200, r.content
    [listed] = r.json()["instructions"]
    assert (listed["content"], listed["carried_out"], listed["carried_out_at"]) == ("请三天内修复", "", None)
    assert listed["author"]["id"] == cast.township_leader.pk
    assert leader.post(f"/api/v1/cases/{case.pk}/instruction/", {"content": ""}, format="json").status_code == 400
    assert leader.post(f"/api/v1/cases/{case.pk}/reply/", {"result": "x", "outcome": "solved"},
                       format="json").status_code == 403  # fmt: skip
    desk = api.as_user(cast.township_staff)
    detail = desk.get(f"/api/v1/cases/{case.pk}/").json()
    assert "instruction-report" in detail["actions"]
    r = desk.post(f"/api/v1/cases/{case.pk}/instruction-report/", {"instruction": 999999, "content": "已办"},
                  format="json")  # fmt: skip
    assert r.status_code == 400 and "instruction" in r.content.decode()
    r = desk.post(f"/api/v1/cases/{case.pk}/instruction-report/", {"instruction": listed["id"], "content": "已修复"},
                  format="json")  # fmt: skip
    assert r.status_code == 200, r.content
    assert r.json()["instructions"][0]["carried_out"] == "已修复"
    assert "instruction-report" not in r.json()["actions"]
    events = desk.get(f"/api/v1/cases/{case.pk}/events/").json()
    kinds = [e["action"] for e in (events["results"] if isinstance(events, dict) else events)]
    assert kinds[-2:] == ["instruction", "instruction_report"]


def test_api_project_instruction(api, cast):
    project = ProjectFactory(cast=cast)
    r = api.as_user(cast.leader).post(f"/api/v1/projects/{project.pk}/instruction/", {"content": "加快推进"},
                                      format="json")  # fmt: skip
    assert r.status_code == 201 and r.json()["content"] == "加快推进"
    r = api.as_user(cast.leader).post(f"/api/v1/projects/{project.pk}/instruction/", {"content": " "}, format="json")
    assert r.status_code == 400
    assert Instruction.objects.count() == 1


# --- pages --------------------------------------------------------------------------------------------------


def test_the_case_page_shows_the_panel_and_the_timeline_says(client, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    client.force_login(cast.township_leader)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="form-instruction"' in page and 'id="form-reply"' not in page
    r = client.post(f"/cases/{case.pk}/instruction/", {"instruction-content": "请三天内修复"})
    assert r.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="instructions"' in page and "请三天内修复" in page
    client.force_login(cast.township_staff)
    instruction = Instruction.objects.get(case=case)
    assert 'id="form-instruction-report"' in client.get(f"/cases/{case.pk}/").content.decode()
    r = client.post(f"/cases/{case.pk}/instruction-report/",
                    {"instruction-report-instruction": instruction.pk, "instruction-report-content": "已修复"})  # fmt: skip
    assert r.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "已修复" in page and 'id="form-instruction-report"' not in page


def test_an_empty_instruction_on_the_page_is_400_with_the_form(client, cast):
    case = RaisedCaseFactory(cast=cast)
    client.force_login(cast.leader)
    r = client.post(f"/cases/{case.pk}/instruction/", {"instruction-content": ""})
    assert r.status_code == 400
    assert not Instruction.objects.exists()


def test_the_project_page_lists_instructions_and_offers_the_form_to_leaders(client, cast):
    project = ProjectFactory(cast=cast)
    client.force_login(cast.leader)
    assert 'id="form-instruction"' in client.get(f"/projects/{project.pk}/").content.decode()
    r = client.post(f"/projects/{project.pk}/instruction/", {"content": "加快推进"})
    assert r.status_code == 302
    assert client.post(f"/projects/{project.pk}/instruction/", {"content": ""}).status_code == 400
    client.force_login(cast.city_office)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "加快推进" in page and 'id="form-instruction"' not in page
