import pytest

from core.testing.factories import OfficeFactory
from core.testing.moments import MONDAY
from oversight.tests.october import SAT, build_october, handled


@pytest.fixture
def october(cast, clock):
    """October 2026 with its scores computed by hand (oversight/tests/october.py), read on Monday 23 November."""
    return build_october(cast, clock)


@pytest.fixture
def units(cast, clock):
    """Four offices of township B with five October cases each; office k answered k of them late. Office 1 and
    office 0 score alike but for the on-time points; a fifth office has only four cases (not awardable)."""
    clock.move_to(MONDAY)
    offices = []
    for k in range(4):
        office = OfficeFactory(parent=cast.township_b, name=f"测试办公室{k}")
        for day in range(2, 7):
            handled(cast, office, day, township=cast.township_b, replied_late=day - 2 < k, callback=SAT)
        offices.append(office)
    few = OfficeFactory(parent=cast.township_b, name="测试办公室少")
    for day in range(2, 6):
        handled(cast, few, day, township=cast.township_b, callback=SAT)
    cast.offices, cast.few = offices, few
    return cast
