"""The case page's forms as the people using them would have them (issue 15): the work first, the
unit to send a case to found by group with its deadline, the reply read before it is judged, long
texts folded, and nothing typed lost when a form is refused."""

import re

import pytest

from cases import services
from core.testing.factories import RaisedCaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


def page(client, user, case) -> str:
    client.force_login(user)
    return client.get(f"/cases/{case.pk}/").content.decode()


def replied(cast, result: str):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    return services.case_reply(case_id=case.pk, by=cast.office_handler, result=result, outcome="solved")


def test_the_unit_is_offered_its_reply_first_and_the_return_last_and_quiet(client, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    html = page(client, cast.office_handler, case)
    order = [html.index(f'id="form-{name}"') for name in ("reply", "extension", "return")]
    assert order == sorted(order)
    reply = html[order[0] : order[1]]
    back = html[order[2] :]
    assert 'class="primary"' in reply
    assert 'class="primary"' not in back[: back.index("</form>")]


def test_dispatch_groups_the_units_and_says_the_deadline_and_the_suggestion(client, cast):
    case = RaisedCaseFactory(cast=cast)
    html = page(client, cast.township_staff, case)
    form = html[html.index('id="form-dispatch"') :]
    form = form[: form.index("</form>")]
    groups = re.findall(r'<optgroup label="([^"]+)"', form)
    assert "镇街科室" in groups and "市级部门" in groups
    # The officer's own dispatching unit heads the list: it backs the officer's case.
    assert groups[0] == "干部派出单位"
    assert re.search(r"现在派单，办理期限为 \d{4}-\d{2}-\d{2} \d{2}:\d{2}", form)


def test_the_reply_is_read_before_the_review_buttons(client, cast):
    case = replied(cast, "路面已用沥青修补完毕")
    html = page(client, cast.township_staff, case)
    form = html[html.index('id="form-review"') :]
    assert form.index("路面已用沥青修补完毕") < form.index('name="review-approve"')


def test_a_ten_thousand_character_reply_is_folded_not_shown_twice_in_full(client, cast):
    long = "修补" * 5000
    case = replied(cast, long)
    html = page(client, cast.township_staff, case)
    # Wherever it appears (the reply under review, the dispatches, the timeline) it is folded.
    assert html.count(long) >= 1 and "展开全文（共 10000 字）" in html
    outside = re.sub(r"<details>.*?</details>", "", html, flags=re.S)
    assert long[:400] not in outside


def test_a_refused_reply_keeps_what_the_unit_wrote(client, cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    client.force_login(cast.office_handler)
    # Meanwhile the desk takes the case up to the city: the reply comes too late.
    services.case_escalate(case_id=case.pk, by=cast.township_staff, reason="需市级协调")
    written = "已联系施工队，周三前修好坑洼路面，群众表示理解"
    response = client.post(f"/cases/{case.pk}/reply/", {"reply-result": written, "reply-outcome": "solved"})
    assert response.status_code == 409
    assert written in response.content.decode()


def test_the_list_filters_read_in_the_readers_language(client, cast):
    """An English page sorts by "raised at (descending)", and a yes/no filter offers "All", not "Unknown"."""
    client.force_login(cast.township_staff)
    english = client.get("/cases/", {"tab": "all"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get("/cases/", {"tab": "all"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'lang="en"' in english and "(descending)" in english and "反映时间" not in english
    assert ">All<" in english
    assert '<option value="-created_at">反映时间 (倒' in chinese
    overdue = chinese[chinese.index('name="overdue"') :]
    assert overdue.index(">全部<") < overdue.index("</select>") and "未知" not in overdue[: overdue.index("</select>")]
