import pytest

from oversight.tests.october import build_october


@pytest.fixture
def october(cast, clock):
    """October 2026 with its scores computed by hand (oversight/tests/october.py), read on Monday 23 November."""
    return build_october(cast, clock)
