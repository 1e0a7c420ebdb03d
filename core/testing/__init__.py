"""Test data for every app's tests, in one style.

``factories`` has a factory-boy factory for every model; ``cast`` the standing
cast they build (the root conftest's ``cast`` fixture); ``lifecycle`` the one way
a case is taken to a stage; ``payloads`` what tests send rather than store;
``moments`` the times test data is written at.
"""

from core.testing.cast import Cast, build_cast
from core.testing.factories import PASSWORD

__all__ = ["PASSWORD", "Cast", "build_cast"]
