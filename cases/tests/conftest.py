"""The demo category tree for the case tests (cases themselves come from core.testing.factories)."""

import pytest

from demo.categories import seed_categories


@pytest.fixture
def categories(db):
    return seed_categories()


@pytest.fixture
def road(categories):
    return categories["infra.road"]
