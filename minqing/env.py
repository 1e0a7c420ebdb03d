"""The one place settings read the environment.

Every setting that can change between machines comes through these helpers,
so a reader can find all of them by grepping for ``env.``.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

# `make run` writes this git-ignored file (DEBUG on, a generated secret key,
# the demo password) so that every `manage.py` command in that checkout runs
# as the README writes it. A real environment variable always wins, and a
# machine without the file (production) still has to be given a secret.
ENV_FILE = Path(__file__).resolve().parent.parent / ".env"


def load_file(path: Path | None = None) -> None:
    """Put KEY=VALUE lines of the local env file into os.environ, unless already set."""
    if path is None:
        # MINQING_ENV_FILE names another file; set empty, it turns the file off (the test suite).
        chosen = os.environ.get("MINQING_ENV_FILE")
        if chosen == "":
            return
        path = Path(chosen) if chosen else ENV_FILE
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip().isidentifier():
            raise ImproperlyConfigured(f"{path}:{number}: expected KEY=VALUE")
        os.environ.setdefault(key.strip(), value.strip().strip("'\""))


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
        return sqlite(str(default_sqlite))
    url = urlparse(raw)
    if url.scheme == "sqlite":
        path = unquote(url.path)
        return sqlite(path[1:] if path.startswith("//") else path)
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


def sqlite(path: str) -> dict:
    """The embedded default, set up for several writers at once.

    Web, worker and beat share one file in `make run`, and people act at the
    same moment. WAL lets readers go on while one writer writes; IMMEDIATE
    transactions take the write lock at BEGIN, so a second writer waits its
    turn (up to the busy timeout) and then reads what the first one wrote,
    instead of failing half-way with "database is locked".
    """
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "timeout": int_("SQLITE_BUSY_TIMEOUT", 30),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }
