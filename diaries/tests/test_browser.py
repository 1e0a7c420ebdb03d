"""The officer's diary journey in real Chromium at phone size: draft, reload, submit, offline outbox."""

import re

import pytest

from cases.models import Case
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
