"""Idempotency keys: a client's retry of a write gets the first answer, not a second write.

Usage in a view::

    found = idempotency.lookup(user=u, scope="diary_create", key=k, fingerprint=fp)
    if found is None:
        ...validate...
        found = idempotency.once(user=u, scope="diary_create", key=k, fingerprint=fp,
                                 work=lambda: (201, render(do_the_write())))
    return Response(found.body, status=found.status)

``lookup`` is a cheap early answer for a plain retry (no re-validation, so a
replay the next day still gets the first answer); ``once`` is what makes
concurrent requests with one key produce exactly one write.
"""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from core.models import IdempotencyKey

KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


class KeyReused(Exception):
    """The key was already used with a different request body (HTTP 422)."""


@dataclass(frozen=True)
class Outcome:
    status: int
    body: Any
    replayed: bool


def is_valid_key(key: str) -> bool:
    return bool(KEY_RE.match(key or ""))


def fingerprint(value: Any) -> str:
    """sha256 of ``value`` as canonical JSON (key order and spacing do not matter)."""
    raw = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def upload_digest(upload) -> str:
    """sha256 of an uploaded file, so a request's fingerprint covers its files too."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _answer(row: IdempotencyKey, fingerprint: str) -> Outcome:
    if row.fingerprint != fingerprint:
        raise KeyReused(row.key)
    return Outcome(status=row.status, body=row.body, replayed=True)


def lookup(*, user, scope: str, key: str, fingerprint: str) -> Outcome | None:
    """The stored answer for a committed write with this key, or None."""
    row = IdempotencyKey.objects.filter(user=user, scope=scope, key=key).first()
    return _answer(row, fingerprint) if row is not None else None


def _claim(*, user_id: int, scope: str, key: str, fingerprint: str) -> int | None:
    """Insert the key row; its id, or None when the key is already taken."""
    table = IdempotencyKey._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, scope, key, fingerprint, created_at) "  # noqa: S608 - constant table
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING id",
            [user_id, scope, key, fingerprint, timezone.now()],
        )
        found = cursor.fetchone()
    return found[0] if found else None


def once(*, user, scope: str, key: str, fingerprint: str, work: Callable[[], tuple[int, Any]]) -> Outcome:
    """Run ``work`` (which returns ``(status, JSON body)``) at most once per (user, scope, key).

    The key row is inserted inside the transaction of the write. A concurrent
    request with the same key blocks on the unique index until this one
    commits, then finds the row and answers with the stored result; if this
    one rolls back (bad input, an error) nothing is kept and the next
    request does the work itself.
    """
    with transaction.atomic():
        # One statement instead of get_or_create's SELECT, savepoint, INSERT:
        # ON CONFLICT waits on the unique index exactly as the plain INSERT did.
        row_id = _claim(user_id=user.pk, scope=scope, key=key, fingerprint=fingerprint)
        if row_id is None:
            # The other request committed first (its row is visible to this new statement).
            return _answer(IdempotencyKey.objects.get(user=user, scope=scope, key=key), fingerprint)
        status, body = work()
        IdempotencyKey.objects.filter(pk=row_id).update(status=status, body=body)
        return Outcome(status=status, body=body, replayed=False)
