"""LIFECYCLE.md's "from" column by event kind, derived from the action definitions (cases.actions)."""

from cases.actions.base import TransitionNotAllowed
from cases.actions.definitions import ALLOWED_FROM


def check(action: str, status: str) -> None:
    """Refuse (409) an event of kind ``action`` on a case in ``status``."""
    if status not in ALLOWED_FROM[action]:
        raise TransitionNotAllowed(action, status)


__all__ = ["ALLOWED_FROM", "TransitionNotAllowed", "check"]
