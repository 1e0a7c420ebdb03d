import json
import time

import pytest
from django.core.cache import cache

from core.testing.factories import CategoryFactory, CategoryMappingFactory, SourceFactory
from integrations import signing

URL = "/api/v1/inbound/orders/"


@pytest.fixture(autouse=True)
def _forget_seen_signatures():
    # The pinned clock gives every test the same timestamps: a signature seen in one test is not a replay in the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def platform(cast):
    """The 12345 hotline of the cast's city, with ROAD mapped to a category of ours."""
    source = SourceFactory(code="12345", name="12345热线", cast=cast)
    CategoryMappingFactory(source=source, external_code="ROAD", category=CategoryFactory(code="test.road", name="道路"))
    return source


def order(**fields) -> dict:
    return {
        "external_id": "GD20261125001", "category_code": "ROAD", "title": "村口路灯不亮",
        "content": "东溪村口的路灯坏了一周。", "reporter_name": "王先生", "reporter_phone": "13812345678",
        "address": "东溪村口", "township_code": "T1", "reported_at": "2026-11-25T09:00:00+08:00", **fields,
    }  # fmt: skip


def signed(client, source, data: dict, *, stamp: int | None = None, secret: str | None = None, **headers):
    """POST ``data`` signed as ``source``; ``headers`` override (None drops) the signed ones."""
    body = json.dumps(data, ensure_ascii=False).encode()
    stamp = str(int(time.time()) if stamp is None else stamp)
    meta = {
        "HTTP_X_MINQING_SOURCE": source.code,
        "HTTP_X_MINQING_TIMESTAMP": stamp,
        "HTTP_X_MINQING_SIGNATURE": signing.sign(secret or source.secret, stamp, body),
    }
    meta.update(headers)
    meta = {k: v for k, v in meta.items() if v is not None}
    return client.post(URL, data=body, content_type="application/json", **meta)
