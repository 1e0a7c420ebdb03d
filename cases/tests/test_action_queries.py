"""Every case action through the API takes at most 12 queries (QUALITY.md "one case action").

Parametrized over ``ACTIONS``, so a new action is counted without a line here: the world of
tests/world.py moves case A to the stage the action needs (``STAGE_FOR_ACTION``), the access
matrix's valid body is posted (``ACTION_BODIES``) by the first matrix user whose role may take it
on a township case, with an API token as a phone client would. The counts include the token's
lookup, the row lock, the service's writes, the audit row and the answer.
"""

import os

import pytest

from cases.actions import ACTIONS
from cases.choices import Level
from tests.access_expected import HOLDS
from tests.access_matrix import ACTION_BODIES
from tests.world import build_world, case_for

pytestmark = pytest.mark.django_db

BUDGET = 12


def _actor(world, name: str):
    may = ACTIONS[name].who.get(Level.TOWNSHIP, ())
    user_key = next(user for user, role in HOLDS.items() if role in may)
    return world.by_role()[user_key]


@pytest.mark.parametrize("name", list(ACTIONS))
def test_each_action_takes_at_most_12_queries(cast, api, name, django_assert_max_num_queries):
    world = build_world(cast)
    case_id = case_for(world, name)
    body = ACTION_BODIES[name](world)  # made before counting: some bodies create what they point at
    client = api.as_user(_actor(world, name))
    # Savepoints count too (the test's transaction makes the action's atomic block one): a real request has none.
    with django_assert_max_num_queries(BUDGET) as ctx:
        response = client.post(f"/api/v1/cases/{case_id}/{name}/", body, format="json")
    assert response.status_code == 200, response.content[:300]
    if os.environ.get("ACTION_QUERIES"):  # ACTION_QUERIES=1 -s prints each action's queries (profiling)
        print(f"\n== {name}: {len(ctx.captured_queries)}")
        for q in ctx.captured_queries:
            print("  ", q["sql"][:400])
