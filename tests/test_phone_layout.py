"""The phone layout (issue #15) in real Chromium at 390 × 844: thumb-sized controls, the bottom tab bar,
figures on the dashboard's first screen, no sideways scrolling, large text; the desktop's one-line header."""

import pytest
from django.conf import settings
from django.test import Client

from core import text_size
from core.testing.factories import CaseFactory, DiaryEntryFactory, VillageCaseFactory
from notifications.services import notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}

# Every control a thumb presses, outside running text (WCAG 2.5.5 exempts a link inside a sentence: a link
# whose paragraph says more than the link itself). Hidden ones (in a closed menu, of the other layout) are left out.
TOO_SMALL = """() => {
  const words = el => (el.textContent || '').replace(/\\s+/g, '');
  const inSentence = a => {
    const block = a.closest('p, small, .content, .notice-body, .errors, .messages');
    return block !== null && words(block) !== words(a);
  };
  const checkLabel = l => l.querySelector('input[type=checkbox], input[type=radio]') !== null
    || (l.htmlFor && document.getElementById(l.htmlFor)?.matches('input[type=checkbox], input[type=radio]'));
  const controls = [...document.querySelectorAll('a[href], button, input[type=submit], summary, select, label')]
    .filter(el => el.tagName !== 'LABEL' || checkLabel(el))
    .filter(el => !(el.tagName === 'A' && inSentence(el)));
  const small = [];
  for (const el of controls) {
    const r = el.getBoundingClientRect();
    if (!el.checkVisibility({visibilityProperty: true}) || r.width === 0 || r.height === 0) continue;
    if (r.width < 43.5 || r.height < 43.5) {
      small.push(`${el.tagName.toLowerCase()}${el.className ? '.' + el.className.split(' ').join('.') : ''}`
        + ` "${el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
  }
  return small;
}"""
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def world(cast):
    """A case of the officer's village, a closed one, a diary entry and unread notices: lists with rows."""
    case = VillageCaseFactory(cast=cast)
    CaseFactory(cast=cast, title="新桥社区路灯不亮", status="closed")
    entry = DiaryEntryFactory(officer=cast.officer, station=cast.village, household_visits=3)
    for user in (cast.officer, cast.township_staff, cast.leader, cast.city_office, cast.dept_handler):
        notify(recipients=[user], kind="x", title="新案件待派单", body="村口道路坑洼")
    return {"case": case, "entry": entry}


@pytest.fixture
def open_as(browser, live_server):
    """``open_as(user, viewport=PHONE, large=False)``: a browser context signed in as ``user`` (a session made
    by force_login, second factor included, so the test does not spend its time on the login form)."""
    contexts = []

    def open_(user, viewport=PHONE, large=False):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        contexts.append(context)
        cookies = []
        if user is not None:
            client = Client()
            client.force_login(user)
            cookies.append({"name": settings.SESSION_COOKIE_NAME,
                            "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url})  # fmt: skip
        if large:
            cookies.append({"name": text_size.COOKIE, "value": text_size.LARGE, "url": live_server.url})
        if cookies:
            context.add_cookies(cookies)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def pages_of(cast, world) -> dict:
    case, entry = world["case"].pk, world["entry"].pk
    return {
        "officer": ["/", "/diaries/new/", "/diaries/", f"/diaries/{entry}/", "/cases/", f"/cases/{case}/",
                    "/notifications/", "/accounts/password/"],
        "township_staff": ["/", "/cases/", f"/cases/{case}/", "/diaries/", "/dashboard/", "/dashboard/officers/"],
        "dept_handler": ["/", "/cases/"],
        "leader": ["/", "/dashboard/", "/dashboard/officers/", "/dashboard/rankings/", "/dashboard/scores/",
                   "/dashboard/hotspots/", "/dashboard/report/", "/dashboard/exports/", "/notifications/"],
    }  # fmt: skip


def check_page(page, url: str) -> list[str]:
    """What is wrong with the page at phone size: small controls, a wrapped top bar, sideways scrolling."""
    page.goto(url)
    problems = [f"{url}: {small}" for small in page.evaluate(TOO_SMALL)]
    top = page.locator(".topbar").bounding_box()
    if top["height"] >= 64:
        problems.append(f"{url}: the top bar is {top['height']:.0f} px high (wrapped)")
    if (over := page.evaluate(OVERFLOW)) > 0:
        problems.append(f"{url}: the page scrolls {over} px sideways")
    return problems


def test_every_control_is_thumb_sized_on_every_main_page(open_as, live_server, cast, world):
    problems = []
    for role, urls in pages_of(cast, world).items():
        page = open_as(getattr(cast, role))
        for url in urls:
            problems += [f"{role} {p}" for p in check_page(page, live_server.url + url)]
        # The "me" menu's own controls: who, password, sign out, language, text size.
        page.click(".more > summary")
        problems += [f"{role} (menu open) {small}" for small in page.evaluate(TOO_SMALL)]
    page = open_as(None)
    problems += [f"anonymous {p}" for p in check_page(page, live_server.url + "/accounts/login/")]
    assert not problems, "\n".join(problems)


def test_the_bottom_bar_holds_the_callers_destinations(open_as, live_server, cast, world):
    page = open_as(cast.officer)
    page.goto(live_server.url + "/cases/")
    bar = page.locator("nav.nav")
    box = bar.bounding_box()
    assert box["y"] + box["height"] == pytest.approx(844, abs=1)  # fixed at the bottom edge
    assert bar.locator(".nav-item .label").all_inner_texts() == [
        "首页",
        "写日记",
        "民情日记",
        "民情事项",
        "消息 (1)",
        "我的",
    ]
    assert bar.locator("[aria-current=page]").inner_text() == "民情事项"
    # The end of the page scrolls clear of the bar.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    last = page.locator("main.page > *").last.bounding_box()
    assert last["y"] + last["height"] <= bar.bounding_box()["y"]
    # The leader has the dashboard and no diary to write; the roles are nav.html's, not a second list.
    page = open_as(cast.leader)
    page.goto(live_server.url + "/")
    labels = page.locator("nav.nav .nav-item .label").all_inner_texts()
    assert "统计分析" in labels and "写日记" not in labels


@pytest.mark.parametrize("role", ["leader", "city_office"])
def test_the_dashboards_first_screen_shows_the_rates(open_as, live_server, cast, world, role):
    page = open_as(getattr(cast, role))
    page.goto(live_server.url + "/dashboard/")
    bar_top = page.locator("nav.nav").bounding_box()["y"]
    for key in ("completion_rate", "on_time_rate", "satisfaction_rate"):
        box = page.locator(f'.kpi[data-key="{key}"]').bounding_box()
        assert box["y"] + box["height"] <= bar_top, f"{key} is below the first screen"
    # The filters are folded behind what they show; a bad filter opens them.
    assert page.locator("details.dash-filters").get_attribute("open") is None
    assert "筛选" in page.locator("details.dash-filters > summary").inner_text()
    page.goto(live_server.url + "/dashboard/?date_from=2026-13-01")
    assert page.locator("details.dash-filters").get_attribute("open") is not None


def test_no_sideways_scrolling_with_large_text_or_at_double_text_size(open_as, live_server, cast, world):
    problems = []
    for large in (False, True):
        page = open_as(cast.leader, large=large)
        for url in ("/", "/dashboard/", "/dashboard/report/", "/cases/", f"/cases/{world['case'].pk}/"):
            page.goto(live_server.url + url)
            if large:
                assert page.evaluate("getComputedStyle(document.body).fontSize") == "20px"
            page.evaluate("document.documentElement.style.fontSize = (document.documentElement.classList"
                          ".contains('large-text') ? 2.5 : 2) * 100 + '%'")  # fmt: skip
            if (over := page.evaluate(OVERFLOW)) > 0:
                problems.append(f"{url} (large text {large}, 200 %): {over} px sideways")
    page = open_as(cast.officer, large=True)
    for url in ("/", "/diaries/new/", "/diaries/", "/notifications/"):
        page.goto(live_server.url + url)
        page.evaluate("document.documentElement.style.fontSize = '250%'")
        if (over := page.evaluate(OVERFLOW)) > 0:
            problems.append(f"officer {url} (large text, 200 %): {over} px sideways")
    assert not problems, "\n".join(problems)


def test_desktop_keeps_a_one_line_header(open_as, live_server, cast, world):
    for role in ("officer", "leader"):
        page = open_as(getattr(cast, role), viewport=DESKTOP)
        page.goto(live_server.url + "/")
        top = page.locator(".topbar").bounding_box()
        assert top["y"] == 0 and top["height"] < 64
        nav = page.locator("nav.nav").bounding_box()
        assert nav["y"] < top["height"]  # in the header, not at the bottom
        assert not page.locator(".nav-home").is_visible()  # the brand is the way home
        assert not page.locator(".nav .icon").first.is_visible()
        page.click(".more > summary")
        assert page.locator(".more-panel button", has_text="退出").is_visible()


def test_the_large_text_switch_round_trips_without_javascript(client, cast):
    page = client.get("/accounts/login/")
    assert b'class="large-text"' not in page.content
    answer = client.post("/text-size/", {"size": "large", "next": "/accounts/login/"})
    assert answer.status_code == 302 and answer["Location"] == "/accounts/login/"
    assert answer.cookies[text_size.COOKIE]["httponly"]
    page = client.get("/accounts/login/")
    assert b'<html lang="zh-hans" class="large-text">' in page.content
    assert "大字：开" in page.content.decode()
    # Somewhere else than this site is not a place to go back to.
    answer = client.post("/text-size/", {"size": "normal", "next": "https://example.com/"})
    assert answer["Location"] == "/"
    assert b'class="large-text"' not in client.get("/accounts/login/").content
    assert client.get("/text-size/").status_code == 405
