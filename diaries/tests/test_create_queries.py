"""The diary POST's cost: a fixed number of queries whatever the number of issues, and an answer
built from the rows written that equals what a fresh read of the entry shows."""

import json
import uuid

import pytest

from core.testing.payloads import PNG, payload, photo

pytestmark = pytest.mark.django_db

URL = "/api/v1/diaries/"

# Auth (token with the user, unit and roles), idempotency lookup, copy candidates, key claim, entry,
# visits, cases, their codes, events, notice recipients, notices, deliveries, audit, the stored answer;
# and the savepoint of the key's transaction (2), which in production is BEGIN/COMMIT. The categories,
# the officer's station, the deadline overrides and whether any automatic routing rule could apply come
# from the process's table cache (core/tablecache.py), filled by the first entry; the entry and its cases
# take no savepoints of their own. An entry like an earlier one adds the desk's notice.
# It was 25 before issue #20 (29 statements on the bench's county data, BEGIN and COMMIT included).
QUERIES = 16


def warmed(api, cast):
    """The officer's client after a first, unrelated entry: process-wide caches (the working-day
    calendar) are filled, as they are in a server that has answered before."""
    client = api.as_user(cast.officer)
    first = dict(payload(cast), content="今天天气晴朗，走访企业一家，生产经营正常。", visits=[])
    first["issues"] = first["issues"][:1]
    assert client.post(URL, first, format="json").status_code == 201
    return client


def body_with(cast, n: int, *, on_site: bool = False) -> dict:
    body = payload(cast)
    normal, solved = body["issues"]
    body["issues"] = [dict(solved if on_site and i % 2 else normal, title=f"问题{i}") for i in range(n)]
    return body


@pytest.mark.parametrize("issues", [1, 2, 5])
def test_create_query_count_does_not_grow_with_the_issues(api, cast, categories, issues, django_assert_num_queries):
    client = warmed(api, cast)
    with django_assert_num_queries(QUERIES):
        r = client.post(URL, body_with(cast, issues), format="json", headers={"Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 201, r.json()
    assert len(r.json()["raised_cases"]) == issues


def test_issues_solved_on_site_add_their_feedback_and_callback_rows_once(
    api, cast, categories, django_assert_num_queries
):
    client = warmed(api, cast)
    with django_assert_num_queries(QUERIES + 2):
        r = client.post(URL, body_with(cast, 5, on_site=True), format="json", headers={"Idempotency-Key": "k-5"})
    assert r.status_code == 201, r.json()
    assert [c["level"] for c in r.json()["raised_cases"]] == ["township", "onsite"] * 2 + ["township"]


def test_the_answer_equals_a_fresh_read_of_the_entry(api, cast, categories):
    client = api.as_user(cast.officer)
    written = client.post(URL, body_with(cast, 2, on_site=True), format="json").json()
    assert written == client.get(f"{URL}{written['id']}/").json()


def test_the_answer_with_photos_and_a_possible_copy_equals_a_fresh_read(api, cast, categories):
    """The answer is built from the rows in hand (diaries/api/answers.py), not by the serializer: every
    field of the serializer's, photos' urls and the copy mark included."""
    client = api.as_user(cast.officer)
    body = body_with(cast, 2, on_site=True)
    assert client.post(URL, body, format="json").status_code == 201
    parts = {"payload": json.dumps(body), "photos": [photo("a.jpg"), photo("b.png", PNG, "image/png")]}
    written = client.post(URL, parts, format="multipart").json()
    assert written["possible_copy"] and len(written["photos"]) == 2
    assert written == client.get(f"{URL}{written['id']}/").json()
