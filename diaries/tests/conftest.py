"""Fixtures of the diary tests."""

import pytest
from django.utils import timezone

from demo.categories import seed_categories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test stores its photos in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def categories(db):
    return seed_categories()


@pytest.fixture
def today():
    return timezone.localdate()
