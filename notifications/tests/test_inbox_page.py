"""The inbox page and the unread count in every page header."""

import pytest
from django.urls import reverse

from core.testing import PASSWORD
from notifications.models import Notification
from notifications.services import notify
from notifications.tests.support import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, cast):
    client.login(username="township_staff", password=PASSWORD)
    return client


def test_the_header_shows_the_unread_count_on_every_page(signed_in, cast, django_assert_max_num_queries):
    notify(recipients=[cast.township_staff], kind="x", title="新案件待派单")
    notify(recipients=[cast.township_staff_b], kind="x", title="别人的")
    page = signed_in.get(reverse("home")).content.decode()
    assert "消息" in page and "(1)" in page
    Notification.objects.update(read_at=at("2026-11-10 10:00"))
    assert "(1)" not in signed_in.get(reverse("home")).content.decode()


def test_the_count_is_not_counted_for_anonymous_visitors(client):
    assert client.get(reverse("login")).status_code == 200


def test_the_inbox_lists_marks_and_opens(signed_in, cast):
    notify(recipients=[cast.township_staff], kind="x", title="案件已退回", body="原因：不属于本单位", url="/cases/7/")
    notify(recipients=[cast.township_staff], kind="x", title="新案件待派单", now=at("2026-01-01 10:00"))
    page = signed_in.get(reverse("notifications:list")).content.decode()
    assert page.index("案件已退回") < page.index("新案件待派单")  # newest first
    assert "全部标为已读" in page and "标为已读" in page and "原因：不属于本单位" in page
    newest, oldest = Notification.objects.order_by("-created_at")
    response = signed_in.get(reverse("notifications:open", args=[newest.pk]))
    assert response.status_code == 302 and response["Location"] == "/cases/7/"
    unread = signed_in.get(reverse("notifications:list") + "?unread=1").content.decode()
    assert "新案件待派单" in unread and "案件已退回" not in unread
    signed_in.post(reverse("notifications:read", args=[oldest.pk]), {"unread": "1"})
    assert "没有未读消息" in signed_in.get(reverse("notifications:list") + "?unread=1").content.decode()


def test_mark_all_read_and_someone_elses_notice(signed_in, cast):
    notify(recipients=[cast.township_staff, cast.township_staff_b], kind="x", title="通知")
    response = signed_in.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert Notification.objects.filter(read_at__isnull=True).get().recipient == cast.township_staff_b
    other = Notification.objects.get(recipient=cast.township_staff_b)
    assert signed_in.get(reverse("notifications:open", args=[other.pk])).status_code == 404
    assert signed_in.post(reverse("notifications:read", args=[other.pk])).status_code == 404
    assert signed_in.get(reverse("notifications:read_all")).status_code == 405


def test_a_link_off_site_is_not_followed(signed_in, cast):
    notify(recipients=[cast.township_staff], kind="x", title="通知", url="https://evil.example.com/")
    notice = Notification.objects.get()
    assert signed_in.get(reverse("notifications:open", args=[notice.pk]))["Location"] == reverse("notifications:list")


def test_pages_of_twenty(signed_in, cast):
    for n in range(25):
        notify(recipients=[cast.township_staff], kind="x", title=f"通知{n:02d}", now=at(f"2026-11-10 10:{n:02d}"))
    first = signed_in.get(reverse("notifications:list")).content.decode()
    assert "通知24" in first and "通知04" not in first and "第 1 页，共 2 页" in first
    second = signed_in.get(reverse("notifications:list") + "?page=2").content.decode()
    assert "通知04" in second and "通知05" not in second
