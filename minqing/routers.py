"""Reads that may come from the read replica, and the session that just wrote reading its own writes.

Routing is by *use*, not by model: the dashboards, the report, the exports
and the scores open ``on_replica()`` around their work; every other read, and
every write, goes to the primary. A session that wrote within
``REPLICA_STICKY_SECONDS`` keeps reading the primary even inside
``on_replica()``, so a user sees their own write at once however far the
replica lags. Without ``DATABASE_REPLICA_URL`` no router is installed and
``on_replica()`` changes nothing.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DatabaseError, connections

REPLICA = "replica"
COOKIE = "mq_wrote"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}

_wanted: ContextVar[bool] = ContextVar("minqing_replica_wanted", default=False)
# Within a request: True when its session wrote recently, or once the request itself wrote.
# None outside requests (workers, commands): nothing to stick to.
_sticky: ContextVar[bool | None] = ContextVar("minqing_replica_sticky", default=None)


@contextmanager
def on_replica():
    """Reads inside may be served by the replica (unless this session wrote recently)."""
    token = _wanted.set(True)
    try:
        yield
    finally:
        _wanted.reset(token)


def replica_view(view):
    """``on_replica()`` around a view function; the signed-in user is loaded from the primary first."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        _ = getattr(request, "user", None) and request.user.pk  # the lazy user: from the primary
        with on_replica():
            return view(request, *args, **kwargs)

    return wrapped


class ReplicaAPIMixin:
    """For DRF views: authentication and permissions on the primary, the handler's reads on the replica."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._replica_token = _wanted.set(True)

    def finalize_response(self, request, response, *args, **kwargs):
        token = getattr(self, "_replica_token", None)
        if token is not None:
            _wanted.reset(token)
            self._replica_token = None
        return super().finalize_response(request, response, *args, **kwargs)


def sticky_seconds() -> int:
    return getattr(settings, "REPLICA_STICKY_SECONDS", 10)


def wrote_recently(request) -> bool:
    try:
        return time.time() - float(request.COOKIES.get(COOKIE, "")) < sticky_seconds()
    except ValueError:
        return False  # no cookie, or one we did not write: read where the view asks


class ReadYourWritesMiddleware:
    """Marks a session that wrote (a non-safe method that succeeded) for REPLICA_STICKY_SECONDS.

    The mark is a cookie, not a session key: the session itself may be what
    the replica has not caught up with yet. It carries no right, only a
    timestamp; a forged one merely sends that user's reads to the primary.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _sticky.set(wrote_recently(request))
        try:
            response = self.get_response(request)
        finally:
            _sticky.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            response.set_cookie(
                COOKIE,
                f"{time.time():.3f}",
                max_age=sticky_seconds(),
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
            )
        return response


# A replica that refused a connection is left alone this long; its reads go to the primary meanwhile.
RETRY_SECONDS = 30
_down_until = 0.0


def replica_reachable() -> bool:
    """Connect to the replica if not connected yet; False (and the primary for a while) if it cannot be reached."""
    global _down_until
    if time.monotonic() < _down_until:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError:
        _down_until = time.monotonic() + RETRY_SECONDS
        return False
    return True


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _wanted.get() and not _sticky.get() and replica_reachable():
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        # A request that writes reads its own write for the rest of it (the middleware resets this).
        if _sticky.get() is False:
            _sticky.set(True)
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
