"""Small reference tables that every write reads (categories, routing rules, deadline policies, an
officer's stations), kept in this process for a short while instead of asked for on each request.

A table is dropped at once when one of its models is saved or deleted in this process (post_save /
post_delete), and at the latest after ``TTL`` seconds, which bounds how long another process (another
gunicorn worker, a Celery worker) may act on the old rows after an admin changed them. A value is
shared by the threads of the process: callers treat it as read-only.
"""

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db.models.signals import post_delete, post_save

TTL = 30.0

_store: dict[tuple, tuple[float, Any]] = {}
_lock = threading.Lock()


def cached(table: str, load: Callable[[], Any], *key: Any) -> Any:
    """``load()``'s value for (table, *key), from this process's store while it is fresh."""
    slot = (table, *key)
    now = time.monotonic()
    hit = _store.get(slot)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = load()
    _store[slot] = (now + TTL, value)
    return value


def forget(table: str) -> None:
    with _lock:
        for slot in [s for s in _store if s[0] == table]:
            _store.pop(slot, None)


def forget_all() -> None:
    """Tests call this: a rolled-back transaction sends no post_delete."""
    _store.clear()


def invalidated_by(table: str, *models) -> None:
    """Drop ``table`` whenever a row of one of ``models`` is saved or deleted in this process."""

    def drop(sender, **kwargs):
        forget(table)

    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(drop, sender=model, weak=False, dispatch_uid=f"tablecache:{table}:{model._meta.label}")
