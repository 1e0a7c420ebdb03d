"""Pointing a connection alias at another server for one test (the replica, the pooler) and back."""

import contextlib
from urllib.parse import urlparse

from django.db import connections


@contextlib.contextmanager
def alias_on(alias: str, url: str, **extra):
    """``connections[alias]`` talks to the host and port of ``url`` (same test database name) inside the block.

    The settings dict is replaced, not changed in place: a test mirror shares the default's dict.
    """
    conn = connections[alias]
    original = conn.settings_dict
    where = urlparse(url)
    conn.close()
    conn.settings_dict = {**connections["default"].settings_dict, "HOST": where.hostname, "PORT": str(where.port),
                          **extra}  # fmt: skip
    try:
        yield conn
    finally:
        conn.close()
        conn.settings_dict = original
