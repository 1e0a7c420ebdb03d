import pytest

from core.testing.factories import StationCodeFactory
from demo.categories import seed_categories


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def code(cast):
    """The 民情码 of the cast's village (its officer: cast.officer), with the shipped category tree."""
    seed_categories()
    return StationCodeFactory(station=cast.village)


@pytest.fixture
def raise_request(code):
    """``raise_request(**changes)``: a valid request through the intake service."""
    from residents.intake import request_raise

    def make(**changes):
        fields = {"token": code.token, "content": "村口路灯坏了一个月，晚上看不见路", "phone": "13900001234",
                  "consent": True, "name": "李四", "ip": "203.0.113.7"} | changes  # fmt: skip
        return request_raise(**fields)

    return make
