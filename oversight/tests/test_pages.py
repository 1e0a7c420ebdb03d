"""The 督办单 pages without a browser: the list's filters, the case page's panel, the PDF and its scope.

Numbering, reply dates, signing and answering through the API and the sweep's orders are in test_orders.py.
"""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from core.testing.factories import RaisedCaseFactory, SupervisionOrderFactory, VillageCaseFactory

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"督〔\d{4}〕\d+号")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(user, query: str = "") -> set[str]:
    """The order numbers the list shows ``user`` for ``query``."""
    answer = client_of(user).get(f"/oversight/orders/{query}")
    assert answer.status_code == 200
    return set(NUMBER.findall(answer.content.decode()))


@pytest.fixture
def orders(cast):
    """Four orders on township A's cases with the office: one per state, and one overdue."""
    now = timezone.now()

    def order(**fields):
        case = VillageCaseFactory(cast=cast, status="in_progress", unit=cast.office)
        return SupervisionOrderFactory(case=case, issued_by=cast.city_office, **fields)

    return {
        "unsigned": order(level="urge"),
        "signed": order(signed_by=cast.office_handler, signed_at=now),
        "replied": order(
            level="listed",
            signed_by=cast.office_handler,
            signed_at=now,
            reply="已整改",
            replied_by=cast.office_handler,
            replied_at=now,
        ),  # fmt: skip
        "overdue": order(overdue=True, reply_by=timezone.localdate() - datetime.timedelta(days=1)),
    }


def numbers(orders, *names) -> set[str]:
    return {orders[name].number for name in names}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ("unsigned", "signed", "replied", "overdue")),
        ("?level=urge", ("unsigned",)),
        ("?level=listed", ("replied",)),
        ("?level=supervise", ("signed", "overdue")),
        ("?state=unsigned", ("unsigned", "overdue")),
        ("?state=signed", ("signed",)),
        ("?state=replied", ("replied",)),
        ("?state=overdue", ("overdue",)),
        ("?level=supervise&state=overdue", ("overdue",)),
        ("?level=urge&state=replied", ()),
    ],
)
def test_the_list_filters_by_level_answered_and_overdue(cast, orders, query, expected):
    assert listed(cast.city_office, query) == numbers(orders, *expected)


def test_the_list_filters_by_case_and_unit(cast, orders):
    assert listed(cast.city_office, f"?case={orders['signed'].case_id}") == numbers(orders, "signed")
    assert listed(cast.city_office, f"?unit={cast.office.pk}") == numbers(orders, *orders)
    assert listed(cast.city_office, f"?unit={cast.department.pk}") == set()


@pytest.mark.parametrize("query", ["?level=nonsense", "?state=late", "?unit=abc", "?year=99999", "?case=-1"])
def test_filters_not_understood_list_nothing_and_say_so(cast, orders, query):
    answer = client_of(cast.city_office).get(f"/oversight/orders/{query}")
    assert answer.status_code == 200
    assert not NUMBER.search(answer.content.decode())
    assert 'role="alert"' in answer.content.decode()


def test_a_page_that_is_not_a_number_is_the_first(cast, orders):
    assert listed(cast.city_office, "?page=x") == numbers(orders, *orders)


def test_each_person_lists_only_the_orders_in_their_scope(cast, orders):
    outside = SupervisionOrderFactory(
        case=VillageCaseFactory(cast=cast, township=cast.township_b, station=cast.village_b, officer=cast.officer_b,
                                status="in_progress", unit=cast.office_b),
        issued_by=cast.city_office,
    )  # fmt: skip
    everyone = numbers(orders, *orders)
    assert listed(cast.city_office) == everyone | {outside.number}
    assert listed(cast.office_handler) == everyone
    assert listed(cast.township_staff) == everyone
    assert listed(cast.township_staff_b) == {outside.number}
    assert listed(cast.dept_handler) == set()


def test_the_case_page_shows_its_orders_and_offers_the_city_office_a_new_one(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    order = SupervisionOrderFactory(case=case, issued_by=cast.city_office)
    office = client_of(cast.city_office).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="supervision-orders"' in office and order.number in office
    assert f'href="/oversight/cases/{case.pk}/order/"' in office
    assert f'href="/oversight/orders/{order.pk}/"' in office

    unit = client_of(cast.office_handler).get(f"/cases/{case.pk}/").content.decode()
    assert order.number in unit and 'id="issue-order"' not in unit  # the unit answers orders, it does not issue them


def test_a_case_without_orders_shows_no_panel_but_to_the_city_office(cast):
    case = RaisedCaseFactory(cast=cast, stage="signed")
    assert 'id="supervision-orders"' not in client_of(cast.township_staff).get(f"/cases/{case.pk}/").content.decode()
    assert 'id="issue-order"' in client_of(cast.city_office).get(f"/cases/{case.pk}/").content.decode()


def test_the_pdf_is_a_pdf_for_those_in_scope_and_404_outside(cast):
    order = SupervisionOrderFactory(
        case=RaisedCaseFactory(cast=cast, stage="signed"), issued_by=cast.city_office, content="请限期整改并书面报告"
    )
    url = f"/oversight/orders/{order.pk}/pdf/"
    for user in (cast.city_office, cast.office_handler, cast.township_staff, cast.leader):
        answer = client_of(user).get(url)
        assert answer.status_code == 200, user.username
        assert answer["Content-Type"] == "application/pdf"
        assert answer.content.startswith(b"%PDF")
    for user in (cast.township_staff_b, cast.dept_handler, cast.officer_b):
        assert client_of(user).get(url).status_code == 404, user.username
    assert client_of(cast.city_office).get(f"/oversight/orders/{order.pk + 1000}/pdf/").status_code == 404
    assert Client().get(url).status_code == 302  # signed out: to the sign-in page
