"""A notice reads in its reader's language, worded from what happened; the stored text stays in the site's."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from cases.notices import notify_event
from core.testing import PASSWORD
from core.testing.factories import CaseEventFactory, DiaryEntryFactory, VillageCaseFactory
from diaries.models import DiaryEntry
from diaries.services import diary_review
from notifications.delivery import deliver
from notifications.models import Notification
from notifications.services import notify
from notifications.tests.support import at, sweep_at
from notifications.texts import SWEEP

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def read_api(api, user, language: str) -> dict[int, dict]:
    response = api.as_user(user).get("/api/v1/notifications/?page_size=100", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return {row["id"]: row for row in response.data["results"]}


def in_site_language(notice: Notification) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        said = notice.wording()
    return said.title, said.body


@pytest.fixture
def extension_notice(cast):
    case = VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-10 10:00", unit=cast.department)
    event = CaseEventFactory(
        case=case, action="extension_decision", actor=cast.township_staff, to_status=case.status, note="同意",
        data={"approve": True, "days": 3, "handle_due": "2026-12-01T02:00:00+00:00"},
    )  # fmt: skip
    notify_event(event, case)
    return Notification.objects.get(kind="case.extension_decision")


def test_a_case_notice_reads_in_english_and_chinese_from_the_same_row(cast, api, extension_notice):
    notice, code = extension_notice, extension_notice.case.code
    assert notice.text_key == "case.extension_approved"
    assert notice.title == f"事项 {code} 延期申请已批准：延长 3 个工作日"  # stored in the site's language
    english = read_api(api, notice.recipient, "en")[notice.pk]
    assert english["title"] == f"Extension approved for case {code}: 3 more working days"
    assert "Handling is now due 2026-12-01 10:00." in english["body"]  # Shanghai time
    chinese = read_api(api, notice.recipient, "zh-hans")[notice.pk]
    assert (chinese["title"], chinese["body"]) == (notice.title, notice.body)
    assert "2026-12-01 10:00" in chinese["body"]


def test_the_inbox_page_follows_the_language_the_reader_chose(cast, client, extension_notice):
    client.login(username=extension_notice.recipient.username, password=PASSWORD)
    code = extension_notice.case.code
    assert f"事项 {code} 延期申请已批准" in client.get(reverse("notifications:list")).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})  # the site's language switcher
    page = client.get(reverse("notifications:list")).content.decode()
    assert f"Extension approved for case {code}: 3 more working days" in page and "延期申请" not in page


def test_a_hostile_case_title_stays_escaped_in_every_language(cast, client):
    case = VillageCaseFactory(cast=cast, status="pending_dispatch", due="2026-11-10 10:00", title="<b>x</b>")
    notify_event(CaseEventFactory(case=case, action="return", actor=cast.dept_handler, note="<i>y</i>"), case)
    client.login(username="township_staff", password=PASSWORD)
    for language in ("zh-hans", "en"):
        page = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert "&lt;b&gt;x&lt;/b&gt;" in page and "&lt;i&gt;y&lt;/i&gt;" in page and "<b>x" not in page


@pytest.fixture
def swept(cast):
    """One sweep that fires every rule: one case per rule, and an officer silent for 14 days."""
    DiaryEntry.objects.all().delete()
    DiaryEntryFactory(officer=cast.officer_b, station=cast.village_b, visit_date=datetime.date(2026, 11, 9))
    VillageCaseFactory(cast=cast, status="in_progress", due="2026-11-10 15:00", unit=cast.office)  # reminder
    VillageCaseFactory(cast=cast, status="pending_dispatch", due="2026-09-01 10:00")  # overdue
    VillageCaseFactory(cast=cast, status="pending_feedback", due="2026-09-01 10:00")  # feedback overdue
    VillageCaseFactory(
        cast=cast,
        status="pending_sign",
        due="2026-09-01 10:00",
        handle_due=at("2026-09-02 10:00"),
        unit=cast.department,
    )  # fmt: skip  (supervised)
    cast.officer.assignments.update(start=datetime.date(2026, 10, 1))
    sweep_at("2026-11-10 08:00")
    notices = {}
    for notice in Notification.objects.order_by("id"):
        notices.setdefault(notice.text_key, notice)
    return notices


ENGLISH = {
    "sweep.reminder": ("Reminder: Handle of case {code} is due at 2026-11-10 15:00", "Deadline: 2026-11-10 15:00."),
    "sweep.overdue": ("Overdue: Dispatch of case {code} passed its deadline", "The deadline was 2026-09-01 10:00."),
    "sweep.feedback_overdue": (
        "Feedback overdue: the resident of case {code} has not been told the result",
        "Feedback was due at 2026-09-01 10:00.",
    ),
    "sweep.supervised": (
        "Supervised: case {code} is five working days past its handling deadline",
        "The handling deadline was 2026-09-02 10:00.",
    ),
    "sweep.silent_officer": ("周建国 has written no diary for 14 days", "No diary entry since 2026-10-01."),
}


def test_every_sweep_notice_reads_in_english_and_chinese_from_the_same_row(cast, api, swept):
    assert set(swept) == {text.key for text in SWEEP.values()}
    for key, (title, body) in ENGLISH.items():
        notice = swept[key]
        code = notice.case.code if notice.case else ""
        english = read_api(api, notice.recipient, "en")[notice.pk]
        assert english["title"] == title.format(code=code), key
        assert body in english["body"], key
        # The SQL that wrote the stored text and the wording from the parameters say the same.
        assert in_site_language(notice) == (notice.title, notice.body), key
        chinese = read_api(api, notice.recipient, "zh-hans")[notice.pk]
        assert (chinese["title"], chinese["body"]) == (notice.title, notice.body), key
    assert swept["sweep.reminder"].params["clock"] == "handle"  # a code, translated when read
    assert "办理" in swept["sweep.reminder"].title


def test_a_notice_that_cannot_be_worded_again_shows_its_stored_text(cast, extension_notice):
    (plain,) = notify(recipients=[cast.township_staff], kind="x", title="旧消息", body="写入时的文字")
    with translation.override("en"):
        assert plain.wording()[:2] == ("旧消息", "写入时的文字")
        extension_notice.text_key = "case.no_such_wording"  # removed by a later change
        assert extension_notice.wording().title == extension_notice.title
        extension_notice.text_key, extension_notice.params = "case.extension_approved", {"code": "X"}  # a field gone
        assert extension_notice.wording().title == extension_notice.title
        extension_notice.params = {**Notification.objects.get(pk=extension_notice.pk).params, "due": "not a moment"}
        assert extension_notice.wording().title == extension_notice.title


def test_a_row_without_a_key_is_served_by_the_api_as_stored(cast, api):
    notify(recipients=[cast.township_staff], kind="x", title="旧消息", body="写入时的文字")
    (row,) = read_api(api, cast.township_staff, "en").values()
    assert (row["title"], row["body"]) == ("旧消息", "写入时的文字")


def test_email_is_written_in_the_recipients_language_whatever_the_sender_runs_in(cast, extension_notice):
    # Accounts keep no language of their own: the recipient's language is the site's.
    extension_notice.recipient.email = "sun@example.cn"
    extension_notice.recipient.save(update_fields=["email"])
    with translation.override("en"):
        notice = notify(recipients=[extension_notice.recipient], kind="x", text=SWEEP["overdue"],
                        params={"code": "SZ-1", "title": "路灯不亮", "clock": "handle", "due": "2026-11-10T02:00:00Z"})  # fmt: skip
        deliver()
    (message,) = [m for m in mail.outbox if "SZ-1" in m.subject]
    assert message.subject == notice[0].title == "催办：事项 SZ-1 的办理已超过时限"
    assert "2026-11-10 10:00" in message.body and "路灯不亮" in message.body


def test_a_diary_review_is_stored_in_the_site_language_and_read_in_the_readers(cast, api):
    entry = DiaryEntryFactory(officer=cast.officer, station=cast.village, visit_date=datetime.date(2026, 11, 9))
    with translation.override("en"):  # the reviewer works in English
        diary_review(entry_id=entry.pk, by=cast.township_staff, comment="走访扎实")
    notice = Notification.objects.get(kind="diary_reviewed")
    reviewer = str(cast.township_staff)
    assert (notice.title, notice.body) == (f"{reviewer} 批阅了您 2026-11-09 的民情日记", "走访扎实")
    (english,) = read_api(api, cast.officer, "en").values()
    assert (english["title"], english["body"]) == (f"{reviewer} reviewed your diary of 2026-11-09", "走访扎实")
