"""What the database's errors mean for the person waiting: try again, or a bug to fix."""

import sqlite3

from django.db import InterfaceError, OperationalError

# SQLite's "busy" family: another writer holds the file, or the disk hiccupped.
# Everything else SQLite raises (syntax, missing table, a bad parameter) is our bug.
_SQLITE_TRANSIENT = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR", "SQLITE_FULL", "SQLITE_CANTOPEN")


def is_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` says the database could not serve us right now (answer 503 and retry).

    PostgreSQL reports a dropped or refused connection as OperationalError or
    InterfaceError, and a bad query as ProgrammingError or DataError, so the
    class alone tells them apart. SQLite raises OperationalError for syntax
    errors too, so there the error code decides: a programming error must
    surface as a logged 500, never hide behind "try again".
    """
    if not isinstance(exc, (OperationalError, InterfaceError)):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        name = getattr(cause, "sqlite_errorname", "") or ""
        if name:
            return name.startswith(_SQLITE_TRANSIENT)
        return isinstance(cause, sqlite3.OperationalError) and "locked" in str(cause)
    return True
