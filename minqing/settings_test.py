"""Settings for the test suite: the real settings with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-not-secret")
# The suite never reads a developer's `make run` env file: its settings are its own.
os.environ["MINQING_ENV_FILE"] = ""

from minqing.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STATIC_ROOT = None  # served from the finders; nothing is collected for tests
WHITENOISE_USE_FINDERS = True
MIDDLEWARE = [  # noqa: F405
    "core.testing.static.IndexedOnceWhiteNoiseMiddleware" if m == "whitenoise.middleware.WhiteNoiseMiddleware" else m
    for m in MIDDLEWARE  # noqa: F405
]
SECURE_SSL_REDIRECT = False  # the test client and live server speak plain HTTP
# Tests move the clock months ahead of when their users set a password; expiry is tested on its own
# (accounts/tests/test_password_policy.py sets it back to 90 days).
PASSWORD_EXPIRY_DAYS = 0
# Tests read figures right after the writes that change them, and the query-count tests measure the counting
# itself: no reuse of city-wide coverage counts (dashboards/tests/test_coverage.py turns it on for its test).
COVERAGE_CACHE_SECONDS = 0

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # The SQLite lane of `make test`: a test database in a file beside the one
    # named, not in memory, so threads share it with WAL and waiting writers
    # exactly as web, worker and beat do in `make run`.
    DATABASES["default"]["TEST"] = {"NAME": DATABASES["default"]["NAME"] + ".test"}  # noqa: F405

# `make test` starts a streaming replica and a PgBouncer (scripts/test.sh). The replica alias is a
# test mirror of the default (Django never creates a database on it: the replica receives the
# primary's test database by replication); tests/test_replica.py points it at the real replica and
# installs the router for its own tests only, so the rest of the suite reads one database as before.
if os.environ.get("TEST_REPLICA_URL") and "replica" not in DATABASES:  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
