"""The project pages at /projects/, the old /dashboard/projects/ paths, and the case page's panels."""

import pytest
from django.template import Context, Template
from django.utils import timezone

from cases.services.projects import project_create
from cases.tests.test_projects_api import alike_cases
from core.testing.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(cast, categories, township_c):
    cases = alike_cases(cast, categories, township_c, timezone.now())
    return project_create(by=cast.city_office, title="公路整治", case_ids=[c.pk for c in cases])


def test_the_old_dashboard_paths_redirect_permanently(client, cast, project):
    for old, new in [
        ("/dashboard/projects/", "/projects/"),
        (f"/dashboard/projects/{project.pk}/", f"/projects/{project.pk}/"),
        ("/dashboard/projects/?page=2", "/projects/?page=2"),
    ]:
        r = client.get(old)  # anonymous: a bookmark still finds the page, which then asks to sign in
        assert (r.status_code, r["Location"]) == (301, new), old
    client.force_login(cast.city_office)
    r = client.get(f"/dashboard/projects/{project.pk}/", follow=True)
    assert r.redirect_chain == [(f"/projects/{project.pk}/", 301)] and r.status_code == 200
    assert "公路整治" in r.content.decode()


def test_project_list_shows_what_the_caller_may_see(client, cast, project):
    client.force_login(cast.city_office)
    html = client.get("/projects/").content.decode()
    assert f'href="/projects/{project.pk}/"' in html and "公路整治" in html
    client.force_login(cast.dept_handler)  # no case of it in scope
    assert "公路整治" not in client.get("/projects/").content.decode()


def test_project_page_progress_is_for_the_city_office(client, cast, project):
    client.force_login(cast.city_office)
    r = client.post(f"/projects/{project.pk}/", {"status": "done", "budget": "10", "spent": "2.5"})
    assert (r.status_code, r["Location"]) == (302, f"/projects/{project.pk}/")
    r = client.post(f"/projects/{project.pk}/updates/", {"text": "已招标", "percent": "100"})
    assert r.status_code == 302
    project.refresh_from_db()
    assert (project.progress, project.is_done, project.remaining) == ("已招标", True, 7.5)
    client.force_login(cast.township_staff)  # sees the project through its own case, reads only
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "已招标" in page and "西山村村道路面坑洼" not in page  # township B's case is not township A's to see
    assert client.post(f"/projects/{project.pk}/", {"progress": "x"}).status_code == 403
    client.force_login(cast.dept_handler)  # no case of it in scope
    assert client.get(f"/projects/{project.pk}/").status_code == 404


def test_dashboard_tabs_link_to_the_projects(client, cast):
    client.force_login(cast.city_office)
    assert 'href="/projects/"' in client.get("/dashboard/rankings/").content.decode()


def test_case_page_panels_show_the_project_and_similar_cases(rf, cast, road):
    case = CaseFactory(cast=cast, category=road, raised=timezone.now(), title="东溪村通村公路坑洼不平，雨天积水严重")
    CaseFactory(cast=cast, category=road, raised=timezone.now(), title="东溪村通村公路坑洼不平，雨天积水很严重")
    CaseFactory(
        cast=cast,
        category=road,
        raised=timezone.now(),
        township=cast.township_b,
        title="东溪村通村公路坑洼不平，雨天积水严重！",
    )
    project = project_create(by=cast.city_office, title="公路整治", case_ids=[case.pk])
    project.progress = "已完成设计"
    project.save()
    case.refresh_from_db()
    request = rf.get("/")
    request.user = cast.township_staff
    html = Template("{% load case_panels %}{% case_project_panel case %}{% similar_cases_panel case %}").render(
        Context({"case": case, "request": request})
    )
    assert "公路整治" in html and "已完成设计" in html and "仍须向反映人单独反馈" in html
    assert f'href="/projects/{project.pk}/"' in html
    assert "雨天积水很严重" in html and "！" not in html  # township B's twin is not township A's to see
