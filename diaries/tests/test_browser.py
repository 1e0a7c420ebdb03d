"""The officer's diary journey in real Chromium at phone size: draft, reload, submit, offline outbox."""

import io
import re

import pytest
from django.contrib.sessions.models import Session
from django.core.signals import request_started
from django.db import OperationalError
from PIL import Image
from playwright.sync_api import Error as PlaywrightError

from cases.models import Case
from core import idempotency
from core.testing import PASSWORD
from demo.categories import seed_categories
from diaries.models import DiaryEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username="officer"):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def sign_in_here(page, live_server, username="officer"):
    """Fill the login form the page is on (after a link to it) and wait to leave it."""
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def transferred_bytes(page) -> int:
    return page.evaluate(
        """() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
              .reduce((n, e) => n + Math.max(e.transferSize || 0, e.encodedBodySize || 0), 0)"""
    )


def test_officer_logs_an_entry_with_two_issues_through_a_reload(live_server, phone_page, cast):
    seed_categories()
    page = phone_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/diaries/new/")
    assert page.locator("h1").inner_text() == "写民情日记"
    assert page.eval_on_selector("#id_station", "s => s.options[s.selectedIndex].text").startswith("东溪村")
    assert transferred_bytes(page) <= 150 * 1024

    page.fill("#id_visits-0-name", "张大伯")
    page.fill("#id_visits-0-phone", "13812345678")
    page.fill("#id_content", "走访东溪村张大伯家，了解春耕用水情况，村民反映村口道路坑洼、水渠堵塞。")
    page.fill("#id_issues-0-title", "村口道路坑洼")
    page.select_option("#id_issues-0-category", "infra.road")
    page.fill("#id_issues-0-reporter_name", "张大伯")
    page.click("text=+ 添加问题")
    page.fill("#id_issues-1-title", "水渠堵塞")
    page.select_option("#id_issues-1-category", "agri.irrigation")
    assert not page.is_visible("#id_issues-1-resolution")
    page.check("#id_issues-1-solved_on_site")
    assert page.is_visible("#id_issues-1-resolution")
    key = page.input_value("input[name=idempotency_key]")

    # A reload (or a crash) mid-way: everything typed comes back, with the same key.
    page.reload()
    assert page.is_visible("#draft-notice") and "已恢复" in page.inner_text("#draft-notice")
    assert page.input_value("#id_content").startswith("走访东溪村张大伯家")
    assert page.input_value("#id_visits-0-name") == "张大伯"
    assert page.input_value("#id_issues-1-title") == "水渠堵塞"
    assert page.input_value("#id_issues-1-category") == "agri.irrigation"
    assert page.is_checked("#id_issues-1-solved_on_site") and page.is_visible("#id_issues-1-resolution")
    assert page.input_value("input[name=idempotency_key]") == key

    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 29.58601, "longitude": 120.82123})
    page.click("#locate")
    page.wait_for_selector("#location-text:has-text('已记录位置')")
    page.fill("#id_issues-1-resolution", "当场组织村民清理")
    page.fill("#id_issues-1-feedback", "已告知水渠已疏通")
    page.select_option("#id_issues-1-satisfaction", "satisfied")
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/diaries/\d+/$"))

    entry = DiaryEntry.objects.get()
    assert page.url.endswith(f"/diaries/{entry.pk}/")
    cases = page.locator("ol.cases li")
    assert cases.count() == 2
    assert "村口道路坑洼" in cases.nth(0).inner_text() and "待派单" in cases.nth(0).inner_text()
    assert "水渠堵塞" in cases.nth(1).inner_text() and "已办结" in cases.nth(1).inner_text()
    assert Case.objects.filter(diary=entry).count() == 2
    assert (str(entry.latitude), str(entry.longitude)) == ("29.586010", "120.821230")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The draft is gone once the entry is saved.
    page.goto(f"{live_server.url}/diaries/new/")
    assert page.is_hidden("#draft-notice") and page.input_value("#id_content") == ""


def test_errors_show_next_to_the_fields_without_losing_the_text(live_server, phone_page, cast):
    seed_categories()
    page = phone_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/diaries/new/")
    page.fill("#id_content", "走访记录，反映一个问题。")
    page.fill("#id_issues-0-title", "问题一")
    page.fill("#id_visits-0-name", "王五")
    page.fill("#id_visits-0-phone", "12345")
    page.click("#submit")
    page.wait_for_selector("[data-field='visits-0-phone'] .errors")
    assert "11 位手机号" in page.inner_text("[data-field='visits-0-phone'] .errors")
    assert "请选择分类" in page.inner_text("[data-field='issues-0-category']")
    assert page.input_value("#id_content") == "走访记录，反映一个问题。"
    assert DiaryEntry.objects.count() == 0


def test_offline_submission_waits_in_the_outbox_and_is_sent_once_back_online(live_server, phone_page, cast):
    seed_categories()
    page = phone_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/diaries/new/")
    page.fill("#id_content", "山里没有信号，先把今天的走访记下来：走访五保户两户，情况良好。")
    page.context.set_offline(True)
    page.click("#submit")
    page.wait_for_selector("#outbox-list li")
    assert "等待发送" in page.inner_text("#outbox")
    assert "已保存在本机" in page.inner_text("#draft-notice")
    assert page.input_value("#id_content") == ""  # ready for the next entry
    assert DiaryEntry.objects.count() == 0

    page.context.set_offline(False)
    page.wait_for_selector("#outbox-list li", state="detached")
    assert "已发送" in page.inner_text("#outbox-status")
    assert DiaryEntry.objects.count() == 1
    # Sending again (another tab, a second flush) changes nothing.
    page.evaluate("window.MinqingOutbox.flush()")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert DiaryEntry.objects.count() == 1


def test_an_expired_session_asks_to_sign_in_keeps_the_entry_and_sends_it_after(live_server, phone_page, cast):
    """Finding 1: online with the session gone (30 minutes idle), the answer is "sign in", not "no network"."""
    seed_categories()
    page = phone_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/diaries/new/")
    page.fill("#id_content", "下午走访两户，路上信号很好，但登录已经过期了。")
    Session.objects.all().delete()  # what 30 idle minutes do on the server
    page.click("#submit")
    page.wait_for_selector("#outbox-list li")
    status = page.inner_text("#outbox-status")
    assert "重新登录" in status and "无网络" not in status
    assert "无网络" not in page.inner_text("#draft-notice")
    link = page.locator("#outbox-status a")
    assert link.get_attribute("href") == "/accounts/login/?next=/diaries/new/"
    assert page.is_hidden(".topbar .who")  # no longer shown as signed in
    assert DiaryEntry.objects.count() == 0

    link.click()
    sign_in_here(page, live_server)
    assert page.url.endswith("/diaries/new/")
    page.wait_for_selector("#outbox-list li", state="detached")
    # The confirmation follows the list's redraw; on a loaded machine it may come a moment later.
    page.wait_for_function("() => document.getElementById('outbox-status').innerText.includes('已发送')")
    assert DiaryEntry.objects.count() == 1


def test_a_busy_server_keeps_the_entry_and_says_it_will_retry(live_server, phone_page, cast, monkeypatch):
    """Finding 1: a 503 is "busy, kept, retried later", not "no network"."""
    seed_categories()
    page = phone_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/diaries/new/")

    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # A real 503 from the server (DatabaseUnavailableMiddleware), as during a PostgreSQL restart; routing the
    # request in Playwright would miss it once the service worker controls the page.
    monkeypatch.setattr(idempotency, "lookup", database_gone)
    page.fill("#id_content", "服务器维护中，日记先留在手机上，稍后再发。")
    page.click("#submit")
    page.wait_for_selector("#outbox-list li")
    notice = page.inner_text("#draft-notice")
    assert "繁忙" in notice and "无网络" not in notice
    assert DiaryEntry.objects.count() == 0

    monkeypatch.undo()
    page.click("#outbox-send")
    page.wait_for_selector("#outbox-list li", state="detached")
    assert DiaryEntry.objects.count() == 1


def test_the_offline_confirmation_is_brought_into_view_and_focused(live_server, phone_page, cast):
    """Finding 2: after an offline submit the message is on screen, focused and announced."""
    seed_categories()
    page = phone_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/diaries/new/")
    page.fill("#id_content", "山里没有信号，先记下来。")
    page.context.set_offline(True)
    page.click("#submit")  # the button is at the bottom of a long form
    page.wait_for_selector("#draft-notice:has-text('已保存在本机')")
    box = page.locator("#draft-notice").bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 844
    assert page.evaluate("document.activeElement.id") == "draft-notice"
    assert page.get_attribute("#draft-notice", "aria-live") == "polite"
    page.context.set_offline(False)
    page.wait_for_selector("#outbox-list li", state="detached")


def test_a_sent_entry_is_linked_with_a_readable_text(live_server, phone_page, cast):
    """Finding 3: "已发送" and a link that reads 查看日记, not the bare path."""
    seed_categories()
    page = phone_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/diaries/new/")
    page.fill("#id_content", "山里没有信号，先记下来。")
    page.context.set_offline(True)
    page.click("#submit")
    page.wait_for_selector("#outbox-list li")
    page.context.set_offline(False)
    page.wait_for_selector("#outbox-list li", state="detached")
    entry = DiaryEntry.objects.get()
    status = page.locator("#outbox-status")
    assert "已发送" in status.inner_text() and "/diaries/" not in status.inner_text()
    link = status.locator("a")
    assert link.inner_text() == "查看日记"
    assert link.get_attribute("href") == f"/diaries/{entry.pk}/"


def test_discarding_a_draft_asks_first(live_server, phone_page, cast):
    """Finding 4: 放弃草稿 asks before it deletes what was typed."""
    seed_categories()
    page = phone_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/diaries/new/")
    page.fill("#id_content", "写了一半的日记，不能一碰就没了。")
    page.reload()
    assert page.is_visible("#draft-notice")
    page.click("#discard-draft")
    assert page.input_value("#id_content") == "写了一半的日记，不能一碰就没了。"
    page.click("#discard-cancel")
    assert page.input_value("#id_content") == "写了一半的日记，不能一碰就没了。"
    page.reload()
    assert page.input_value("#id_content") == "写了一半的日记，不能一碰就没了。"  # the draft is still kept
    page.click("#discard-draft")
    page.click("#discard-confirm")
    assert page.input_value("#id_content") == ""
    page.reload()
    assert page.is_hidden("#draft-notice") and page.input_value("#id_content") == ""


def small_png(n: int) -> dict:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (n * 20 % 256, 80, 120)).save(out, "PNG")
    return {"name": f"photo-{n}.png", "mimeType": "image/png", "buffer": out.getvalue()}


def test_a_tenth_photo_is_refused_and_the_first_nine_are_kept(live_server, phone_page, cast):
    """Finding 5: picking 10 photos keeps 9 and says why, instead of clearing the picker."""
    seed_categories()
    page = phone_page
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/diaries/new/")
    limit = int(page.get_attribute("#diary-form", "data-max-photos"))
    page.fill("#id_content", "拍了十张照片，系统最多收九张。")
    page.set_input_files("#id_photos", [small_png(n) for n in range(limit + 1)])
    message = page.inner_text("[data-field='photos'] .errors")
    assert f"最多 {limit} 张" in message and f"已保留前 {limit} 张" in message
    assert page.evaluate("document.getElementById('id_photos').files.length") == limit
    page.click("#submit")
    page.wait_for_url(re.compile(r".*/diaries/\d+/$"))
    assert DiaryEntry.objects.get().photos.count() == limit


def test_the_form_opens_offline_from_a_cold_start_and_its_entry_is_sent_once(live_server, phone_page, cast):
    """Finding 6: once opened online, the form opens with no signal at all; its entry waits and is sent once."""
    seed_categories()
    page = phone_page
    context = page.context
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/diaries/new/")
    # The service worker is installed and the form and its files are cached for this officer.
    page.wait_for_selector("html[data-offline='ready']", state="attached")
    page.close()

    seen: list[str] = []

    def record(sender, environ, **kwargs):
        seen.append(environ.get("PATH_INFO", ""))

    context.set_offline(True)
    request_started.connect(record)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/diaries/new/")
        assert page.locator("h1").inner_text() == "写民情日记"
        assert page.eval_on_selector("#id_station", "s => s.options[s.selectedIndex].text").startswith("东溪村")
        assert page.eval_on_selector("#id_issues-0-category", "s => s.options.length") > 1
        page.fill("#id_content", "没有信号也能打开表单：走访三户，均无新问题。")
        page.click("#submit")
        page.wait_for_selector("#outbox-list li")
        assert "已保存在本机" in page.inner_text("#draft-notice")
    finally:
        request_started.disconnect(record)
    assert seen == []  # the form, its styles and scripts all came from the phone
    assert DiaryEntry.objects.count() == 0

    context.set_offline(False)
    page.wait_for_selector("#outbox-list li", state="detached")
    assert DiaryEntry.objects.count() == 1
    page.evaluate("window.MinqingOutbox.flush()")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert DiaryEntry.objects.count() == 1


def test_signing_out_forgets_the_offline_form(live_server, phone_page, cast):
    """Finding 6: the offline copy belongs to the signed-in officer; after signing out it is gone."""
    seed_categories()
    page = phone_page
    context = page.context
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/diaries/new/")
    page.wait_for_selector("html[data-offline='ready']", state="attached")
    assert page.evaluate("caches.keys()") == [f"minqing-user-{cast.officer.pk}"]
    page.click("text=我的")  # signing out is in the "me" menu of the bottom bar
    page.click("text=退出")
    page.wait_for_url("**/accounts/login/")
    page.wait_for_function("caches.keys().then(names => names.length === 0)")
    page.close()

    context.set_offline(True)
    page = context.new_page()
    with pytest.raises(PlaywrightError, match="ERR_FAILED|ERR_INTERNET_DISCONNECTED"):
        page.goto(f"{live_server.url}/diaries/new/")
