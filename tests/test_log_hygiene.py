"""No password, token, session key, CSRF token or full phone/ID number in any log line (issue 7).

One test runs the suite's main journeys again with every logger at DEBUG and
reads each record the way the production console handler would write it
(its own filters and formatter from settings.LOGGING), so a leak is caught
whether it comes from our code or from a library.
"""

import datetime
import logging
import sys

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from rest_framework.test import APIClient

from audit.models import AuditEvent
from core.testing import PASSWORD
from core.testing.factories import WebhookEndpointFactory
from core.testing.payloads import payload
from demo.categories import seed_categories
from minqing.log_filters import MaskPersonalNumbers, mask_digits
from notifications import delivery
from notifications.tests.conftest import Robot

pytestmark = pytest.mark.django_db

WRONG = "Wrong-Pass-7731"
NEW_PASSWORD = "Brand-new-Pass-42"
PHONES = ["13812345678", "13900001111", "15057551234"]
ID_NUMBER = "33010619900101123X"


class Capture(logging.Handler):
    """Each record as the console handler would print it, or nothing if its filters drop it."""

    def __init__(self, console: logging.Handler):
        super().__init__(logging.DEBUG)
        self.console = console
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if self.console.filter(record):
            self.lines.append(self.console.format(record))


@pytest.fixture
def captured():
    root = logging.getLogger()
    consoles = [h for h in root.handlers if any(isinstance(f, MaskPersonalNumbers) for f in h.filters)]
    assert consoles, "settings.LOGGING's console handler must carry the MaskPersonalNumbers filter"
    capture = Capture(consoles[0])
    loggers = [root, *(logging.getLogger(n) for n in list(logging.root.manager.loggerDict))]
    levels = [(lg, lg.level, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
    root.addHandler(capture)
    for lg in loggers:  # loggers that do not propagate (django.server …) are read directly
        if not lg.propagate and lg is not root:
            lg.addHandler(capture)
    yield capture
    for lg in loggers:
        lg.removeHandler(capture)
    for lg, level, disabled in levels:
        lg.setLevel(level)
        lg.disabled = disabled


def test_the_journeys_leave_no_secret_in_any_log_line(cast, captured, client):
    seed_categories()
    secrets: set[str] = {PASSWORD, WRONG, NEW_PASSWORD, *PHONES, ID_NUMBER}
    robot = Robot()
    try:
        WebhookEndpointFactory(org_unit=cast.township, url=robot.url, secret=robot.secret)
        secrets |= {robot.secret, robot.url}

        # Pages: a bad and a good sign-in (the CSRF cookie and the session are secrets too).
        client.get("/accounts/login/")
        client.post("/accounts/login/", {"username": "officer", "password": WRONG})
        client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
        secrets |= {client.cookies["csrftoken"].value, client.session.session_key}
        client.get("/cases/", {"q": PHONES[0]})  # a search by phone number
        client.get(f"/cases/{PHONES[0]}/")  # a 404 whose path is a phone number: django.request logs it
        client.get(f"/diaries/{ID_NUMBER}/")

        # API: a token, a diary with residents' phones and an ID number, case actions, an unmasked view.
        api = APIClient()
        token = api.post("/api/v1/auth/token/", {"username": "township_staff", "password": PASSWORD}, format="json")
        staff_token = token.json()["token"]
        officer_token = api.post("/api/v1/auth/token/", {"username": "officer", "password": PASSWORD},
                                 format="json").json()["token"]  # fmt: skip
        secrets |= {staff_token, officer_token}
        body = payload(cast)
        body["visits"][1]["phone"] = PHONES[2]
        body["content"] += f" 村民身份证号 {ID_NUMBER}，电话 {PHONES[0]}。"
        api.credentials(HTTP_AUTHORIZATION=f"Token {officer_token}")
        created = api.post("/api/v1/diaries/", body, format="json", headers={"Idempotency-Key": "log-hygiene"})
        assert created.status_code == 201, created.content
        case_id = created.json()["cases"][0]
        api.credentials(HTTP_AUTHORIZATION=f"Token {staff_token}")
        assert api.get(f"/api/v1/cases/{case_id}/").status_code == 200  # the unmasked view
        dispatched = api.post(f"/api/v1/cases/{case_id}/dispatch/", {"unit": cast.office.pk}, format="json")
        assert dispatched.status_code == 200, dispatched.content
        assert api.post(f"/api/v1/cases/{case_id}/sign/", {}, format="json").status_code == 403
        assert api.post("/api/v1/auth/token/", {"username": "officer", "password": WRONG},
                        format="json").status_code == 400  # fmt: skip

        # Notices to the chat robot, one failing first.
        robot.fail_next = 1
        delivery.deliver()
        delivery.deliver(now=timezone.now() + datetime.timedelta(days=1))  # the retry is due by then
        assert robot.messages, "the robot got nothing: the journey did not reach delivery"

        # Password change, then a lockout of another account.
        changed = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                                      "new_password2": NEW_PASSWORD})  # fmt: skip
        assert changed.status_code == 302
        other = type(client)()
        for _ in range(6):
            other.post("/accounts/login/", {"username": "leader", "password": WRONG})
        assert AuditEvent.objects.filter(action="account_locked", username="leader").exists()
        secrets |= set(Session.objects.values_list("session_key", flat=True))
    finally:
        robot.close()

    assert captured.lines, "nothing was logged: the capture is not wired"
    text = "\n".join(captured.lines)
    leaked = sorted(s for s in secrets if s and s in text)
    assert leaked == [], f"secrets in the logs: {leaked}"
    # The 404 lines are there, with the number masked by the filter.
    assert "138****5678" in text


def test_the_filter_masks_phone_and_id_shaped_numbers_only():
    assert mask_digits("call 13812345678 or 33010619900101123X") == "call 138****5678 or 330***********123X"
    assert mask_digits("/cases/15057551234/") == "/cases/150****1234/"
    # Ordinary numbers stay: ids, years, money, times.
    assert mask_digits("case 12345 of 2026, ¥1000000, 10:30") == "case 12345 of 2026, ¥1000000, 10:30"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "Not Found: %s", ("/cases/13812345678/",), None)
    assert MaskPersonalNumbers().filter(record) and record.getMessage() == "Not Found: /cases/138****5678/"


def test_the_filter_masks_a_traceback_that_quotes_a_number():
    try:
        raise LookupError("failed lookup in [{'q': '13812345678'}]")  # as a template's failed lookup quotes its context
    except LookupError:
        record = logging.LogRecord("django.template", logging.DEBUG, __file__, 1, "lookup", None, sys.exc_info())
    assert MaskPersonalNumbers().filter(record)
    line = logging.Formatter().format(record)
    assert "13812345678" not in line and "138****5678" in line
