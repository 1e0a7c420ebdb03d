"""/api/v1/notifications/: the caller's own notices only."""

import pytest

from notifications.models import Notification
from notifications.services import notify
from notifications.tests.support import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(cast):
    for n in range(3):
        notify(recipients=[cast.township_staff], kind="case.return", title=f"退回 {n}", now=at(f"2026-11-1{n} 10:00"))
    notify(recipients=[cast.township_staff_b], kind="case.return", title="别人的")
    return list(Notification.objects.filter(recipient=cast.township_staff).order_by("created_at"))


def test_the_list_is_the_callers_newest_first(cast, api, inbox, django_assert_max_num_queries):
    client = api.as_user(cast.township_staff)
    with django_assert_max_num_queries(3):  # token + user, count, page
        response = client.get("/api/v1/notifications/")
    assert response.status_code == 200
    assert response.data["count"] == 3
    assert [n["title"] for n in response.data["results"]] == ["退回 2", "退回 1", "退回 0"]
    first = response.data["results"][0]
    assert set(first) == {"id", "kind", "title", "body", "url", "case", "created_at", "read_at", "is_read"}
    assert first["is_read"] is False


def test_unread_filter_and_pages(cast, api, inbox):
    client = api.as_user(cast.township_staff)
    assert client.post(f"/api/v1/notifications/{inbox[0].pk}/read/").status_code == 200
    unread = client.get("/api/v1/notifications/?unread=true").data
    assert [n["title"] for n in unread["results"]] == ["退回 2", "退回 1"]
    assert [n["title"] for n in client.get("/api/v1/notifications/?unread=false").data["results"]] == ["退回 0"]
    page = client.get("/api/v1/notifications/?page_size=2&page=2").data
    assert page["count"] == 3 and [n["title"] for n in page["results"]] == ["退回 0"]
    assert client.get("/api/v1/notifications/?unread=perhaps").status_code == 400


def test_marking_read_is_idempotent_and_keeps_the_first_time(cast, api, inbox):
    client = api.as_user(cast.township_staff)
    first = client.post(f"/api/v1/notifications/{inbox[0].pk}/read/").data
    again = client.post(f"/api/v1/notifications/{inbox[0].pk}/read/").data
    assert first["is_read"] and first["read_at"] == again["read_at"]
    assert client.get("/api/v1/notifications/unread-count/").data == {"unread": 2}


def test_someone_elses_notice_is_not_found(cast, api, inbox):
    other = Notification.objects.get(recipient=cast.township_staff_b)
    response = api.as_user(cast.township_staff).post(f"/api/v1/notifications/{other.pk}/read/")
    assert response.status_code == 404
    assert Notification.objects.get(pk=other.pk).read_at is None
    assert api.as_user(cast.township_staff).post("/api/v1/notifications/99999999/read/").status_code == 404


def test_mark_all_read_touches_only_the_callers(cast, api, inbox):
    response = api.as_user(cast.township_staff).post("/api/v1/notifications/read-all/")
    assert response.data == {"marked": 3}
    assert Notification.objects.filter(read_at__isnull=True).get().recipient == cast.township_staff_b


def test_anonymous_callers_are_refused(api):
    assert api.get("/api/v1/notifications/").status_code == 401
    assert api.post("/api/v1/notifications/read-all/").status_code == 401
