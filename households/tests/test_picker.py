"""The phone form's household picker (/api/v1/household-picker/)."""

import datetime

import pytest
import time_machine

from core.testing.factories.households import HouseholdFactory
from households.models import RecordStatus
from households.services import household_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/household-picker/"


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(datetime.datetime(2026, 5, 13, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def records(cast):
    widow = household_create(by=cast.admin, station=cast.village, tags=["独居老人"], name="王阿婆", address="东溪村2组")
    plain = HouseholdFactory(station=cast.village, name="王建国", address="东溪村3组")
    HouseholdFactory(station=cast.village, name="王搬走", address="东溪村3组9号", status=RecordStatus.MOVED)
    HouseholdFactory(station=cast.village_b, name="王西山", address="西山村1组")
    return widow, plain


def test_the_officer_finds_the_stations_active_records_by_name_or_address(api, cast, records):
    widow, plain = records
    client = api.as_user(cast.officer)
    found = client.get(URL, {"station": cast.village.pk, "q": "王"}).json()
    assert [r["id"] for r in found] == [widow.pk, plain.pk]  # key records due first; moved and B's are hidden
    assert found[0] == {
        "id": widow.pk, "name": "王阿婆", "address": "东溪村2组", "kind": "household", "tags": ["独居老人"],
        "next_visit_due": "2026-05-13", "is_key": True,
    }  # fmt: skip
    assert [r["id"] for r in client.get(URL, {"station": cast.village.pk, "q": "3组"}).json()] == [plain.pk]


def test_the_offline_list_has_every_active_record_of_the_station(api, cast, records):
    answer = api.as_user(cast.officer).get(URL, {"station": cast.village.pk, "all": "1"}).json()
    assert sorted(r["name"] for r in answer) == ["王建国", "王阿婆"]
    assert set(answer[0]) == {"id", "name", "address"}


def test_another_station_is_404_and_bad_input_a_clear_400(api, cast, records):
    client = api.as_user(cast.officer)
    assert client.get(URL, {"station": cast.village_b.pk}).status_code == 404
    assert client.get(URL, {"station": 999999}).status_code == 404
    assert "station" in client.get(URL, {"station": "abc"}).json()
    assert "q" in client.get(URL, {"station": cast.village.pk, "q": "a\x00b"}).json()
    assert "q" in client.get(URL, {"station": cast.village.pk, "q": "x" * 51}).json()


def test_the_query_count_does_not_grow_with_the_records(api, cast, django_assert_num_queries):
    client = api.as_user(cast.officer)
    client.get(URL, {"station": cast.village.pk})  # warm the token
    HouseholdFactory.create_batch(3, station=cast.village)
    with django_assert_num_queries(5) as few:
        client.get(URL, {"station": cast.village.pk})
    HouseholdFactory.create_batch(20, station=cast.village)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(client.get(URL, {"station": cast.village.pk}).json()) == 20


def test_an_id_beyond_the_database_is_a_400(api, cast):
    assert "station" in api.as_user(cast.officer).get(URL, {"station": 2**40}).json()
