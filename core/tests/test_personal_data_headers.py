"""Residents' data in the admin is masked and revealed only with an audit row; answers to a signed-in
user are never stored by caches (issue 22, findings 2 and 7)."""

import pytest

from audit.models import AuditEvent
from core.testing.factories import RaisedCaseFactory

pytestmark = pytest.mark.django_db


def test_the_admin_masks_a_reporter_until_asked_and_audits_the_asking(client, cast):
    case = RaisedCaseFactory(cast=cast, reporter_name="张三丰", reporter_phone="13912345678",
                             reporter_address="东溪村八组12号")  # fmt: skip
    client.force_login(cast.admin)
    url = f"/admin/cases/case/{case.pk}/change/"
    html = client.get(url).content.decode()
    assert "13912345678" not in html and "张三丰" not in html and "东溪村八组12号" not in html
    assert "139****5678" in html and "张**" in html and "?reveal=1" in html
    assert not AuditEvent.objects.filter(action="view_personal_data").exists()
    shown = client.get(url, {"reveal": "1"}).content.decode()
    assert "13912345678" in shown and "张三丰" in shown and "东溪村八组12号" in shown
    row = AuditEvent.objects.get(action="view_personal_data")
    assert row.user == cast.admin and row.detail["via"] == "admin"
    assert row.detail["fields"] == ["reporter_address", "reporter_name", "reporter_phone"]
    # Editing what may be edited still works, and saving reveals nothing.
    form = client.get(url).context["adminform"].form
    assert set(form.fields) == {"title", "description", "category", "difficulty"}
    assert "13912345678" not in client.get("/admin/cases/case/", {"q": "道路"}).content.decode()


@pytest.mark.parametrize("path", ["/cases/", "/diaries/", "/dashboard/export/cases/?tab=all", "/api/v1/cases/"])
def test_answers_to_a_signed_in_user_are_not_stored(client, api, cast, path):
    if path.startswith("/api/"):
        response = api.as_user(cast.township_staff).get(path)
    else:
        client.force_login(cast.township_staff)
        response = client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
