import pytest

from core import idempotency
from core.models import IdempotencyKey

pytestmark = pytest.mark.django_db


def test_work_runs_once_and_the_answer_is_replayed(cast):
    calls = []

    def work():
        calls.append(1)
        return 201, {"id": len(calls)}

    fp = idempotency.fingerprint({"b": 1, "a": [1, 2]})
    assert fp == idempotency.fingerprint({"a": [1, 2], "b": 1})  # key order does not matter
    first = idempotency.once(user=cast.officer, scope="t", key="k", fingerprint=fp, work=work)
    again = idempotency.once(user=cast.officer, scope="t", key="k", fingerprint=fp, work=work)
    assert (first.status, first.body, first.replayed) == (201, {"id": 1}, False)
    assert (again.status, again.body, again.replayed) == (201, {"id": 1}, True)
    assert idempotency.lookup(user=cast.officer, scope="t", key="k", fingerprint=fp).body == {"id": 1}
    assert calls == [1]


def test_another_body_with_the_key_is_refused(cast):
    idempotency.once(user=cast.officer, scope="t", key="k", fingerprint="a", work=lambda: (201, {}))
    with pytest.raises(idempotency.KeyReused):
        idempotency.once(user=cast.officer, scope="t", key="k", fingerprint="b", work=lambda: (201, {}))
    with pytest.raises(idempotency.KeyReused):
        idempotency.lookup(user=cast.officer, scope="t", key="k", fingerprint="b")


def test_a_failed_write_keeps_no_key(cast):
    def boom():
        raise ValueError("bad input")

    with pytest.raises(ValueError):
        idempotency.once(user=cast.officer, scope="t", key="k", fingerprint="a", work=boom)
    assert not IdempotencyKey.objects.exists()
    assert idempotency.lookup(user=cast.officer, scope="t", key="k", fingerprint="a") is None


def test_keys_are_per_user_and_scope(cast):
    for user, scope in ((cast.officer, "t"), (cast.officer_b, "t"), (cast.officer, "u")):
        assert not idempotency.once(user=user, scope=scope, key="k", fingerprint="a", work=lambda: (201, {})).replayed


def test_key_format():
    assert idempotency.is_valid_key("0b5e4c1a-7d7e-4b5e-9d4f-1f1e2d3c4b5a")
    assert not idempotency.is_valid_key("")
    assert not idempotency.is_valid_key("x" * 101)
    assert not idempotency.is_valid_key("has space")
