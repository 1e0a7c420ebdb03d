"""The one place settings read the environment.

Every setting that can change between machines comes through these helpers,
so a reader can find all of them by grepping for ``env.``.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def str_(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def bool_(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {raw!r}")


def int_(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def list_(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database(name: str, default_sqlite: Path) -> dict:
    """Turn DATABASE_URL into Django's DATABASES entry.

    Only the two engines we support are accepted, so a typo fails at start-up
    instead of at the first query.
    """
    raw = os.environ.get(name)
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite),
            # Web, worker and beat share the file in `make run`; wait for a
            # writer instead of failing with "database is locked".
            "OPTIONS": {"timeout": 20},
        }
    url = urlparse(raw)
    if url.scheme == "sqlite":
        path = unquote(url.path)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path[1:] if path.startswith("//") else path}
    if url.scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(url.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(url.path.lstrip("/")),
            "USER": unquote(url.username or ""),
            "PASSWORD": unquote(url.password or ""),
            "HOST": url.hostname or "",
            "PORT": str(url.port or ""),
            "OPTIONS": options,
            # Reuse connections for a minute, and check them first so a
            # restarted PostgreSQL costs one reconnect, not an error page.
            "CONN_MAX_AGE": int_("DB_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(f"{name} must be a postgres:// or sqlite:// URL")
