"""A 民生项目 followed through in real Chromium: the city office turns a hotspot into a project with a first
milestone, the sweep finds the milestone late, and a progress update reaches the linked cases as drafts."""

import datetime

import pytest
from django.utils import timezone

from cases.models import Case, Project
from cases.sweep import sweep
from cases.tests.test_projects_api import alike_cases
from core.testing.browser import sign_in
from core.testing.twofactor import totp_device
from dashboards.services.hotspots import hotspots_detect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_hotspot_becomes_a_project_that_runs_late_and_drafts_feedback(browser, live_server, cast, categories,
                                                                        township_c):  # fmt: skip
    cases = alike_cases(cast, categories, township_c, timezone.now())
    spot = hotspots_detect(city=cast.city, now=timezone.now())[0]
    planned = timezone.localdate() + datetime.timedelta(days=2)

    context, office = sign_in(browser, live_server, "city_office", totp_device(cast.city_office))
    office.goto(f"{live_server.url}/dashboard/hotspots/")
    office.click(f"a[href='/dashboard/hotspots/{spot.pk}/project/']")
    office.wait_for_selector("#form-hotspot-project")
    assert office.input_value("#id_title") == spot.title
    office.select_option("#id_lead_unit", str(cast.department.pk))
    office.fill("#id_milestone_title", "完成勘察设计")
    office.fill("#id_milestone_on", planned.isoformat())
    office.click("#form-hotspot-project button[type=submit]")
    office.wait_for_url(f"{live_server.url}/projects/*/")
    project = Project.objects.get()
    assert office.locator("#cases .case-row").count() == len(cases)
    assert "完成勘察设计" in office.locator("#milestones").inner_text()
    assert office.locator("#project-late").count() == 0

    # The sweep as if three days later (the session's clock stays, so it stays signed in): the milestone passed undone.
    assert sweep(now=timezone.now() + datetime.timedelta(days=3))["project_late"] == 1
    office.reload()
    assert office.locator("#project-late").count() == 1

    office.fill("#id_text", "施工队已进场，预计月底完工")
    office.fill("#id_percent", "40")
    office.check("#id_draft_to_cases")
    office.click("#form-update button[type=submit]")
    office.wait_for_selector("#updates >> text=施工队已进场")
    assert Case.objects.filter(project=project, feedback_draft="施工队已进场，预计月底完工").count() == len(cases)
    office.goto(f"{live_server.url}/cases/{cases[0].pk}/")
    assert "施工队已进场" in office.locator("#feedback-draft").inner_text()
    context.close()
