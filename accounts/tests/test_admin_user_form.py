"""The admin's "add user" form with a station assignment in the same submission."""

import pytest

from accounts.models import StationAssignment, User

pytestmark = pytest.mark.django_db

URL = "/admin/accounts/user/add/"


def _body(cast, *rows) -> dict:
    body = {
        "username": "new_officer", "name": "陈晓东", "phone": "", "org_unit": cast.department.pk,
        "password1": "Pass-word-2026!", "password2": "Pass-word-2026!",
        "roles-TOTAL_FORMS": "1", "roles-INITIAL_FORMS": "0", "roles-0-role": "officer",
        "assignments-TOTAL_FORMS": str(len(rows)), "assignments-INITIAL_FORMS": "0",
        "external_identities-TOTAL_FORMS": "0", "external_identities-INITIAL_FORMS": "0",
    }  # fmt: skip
    for i, (start, end) in enumerate(rows):
        body |= {
            f"assignments-{i}-station": cast.community.pk, f"assignments-{i}-dispatching_unit": cast.department.pk,
            f"assignments-{i}-start": start, f"assignments-{i}-end": end,
        }  # fmt: skip
    return body


def test_a_new_user_saves_with_a_station_assignment_in_the_same_form(client, cast):
    client.force_login(cast.admin)
    response = client.post(URL, _body(cast, ("2026-03-01", "")))
    assert response.status_code == 302, response.content.decode()[-2000:]
    user = User.objects.get(username="new_officer")
    assert list(user.roles.values_list("role", flat=True)) == ["officer"]
    assignment = StationAssignment.objects.get(officer=user)
    assert (assignment.station, str(assignment.start), assignment.end, assignment.kind) == (
        cast.community,
        "2026-03-01",
        None,
        "community",
    )


def test_two_overlapping_periods_in_one_form_are_refused_with_a_message_and_nothing_saved(client, cast):
    client.force_login(cast.admin)
    response = client.post(URL, _body(cast, ("2026-03-01", ""), ("2026-06-01", "2026-07-01")))
    assert response.status_code == 200
    assert "overlap" in response.content.decode() or "重叠" in response.content.decode()
    assert not User.objects.filter(username="new_officer").exists()
    assert not StationAssignment.objects.filter(station=cast.community).exists()


def test_two_periods_one_after_the_other_save(client, cast):
    client.force_login(cast.admin)
    response = client.post(URL, _body(cast, ("2026-03-01", "2026-05-31"), ("2026-06-01", "")))
    assert response.status_code == 302
    assert StationAssignment.objects.filter(officer__username="new_officer").count() == 2
