"""The one table of which action may run from which status (LIFECYCLE.md)."""

from django.utils.translation import gettext as _

from cases.choices import OPEN_STATUSES, Action, Status

ALLOWED_FROM: dict[str, frozenset[str]] = {
    Action.DISPATCH: frozenset({Status.PENDING_DISPATCH}),
    Action.ESCALATE: frozenset({Status.PENDING_DISPATCH, Status.IN_PROGRESS}),
    Action.SIGN: frozenset({Status.PENDING_SIGN}),
    Action.RETURN: frozenset({Status.PENDING_SIGN, Status.IN_PROGRESS}),
    Action.EXTENSION_REQUEST: frozenset({Status.IN_PROGRESS}),
    Action.EXTENSION_DECISION: frozenset({Status.IN_PROGRESS}),
    Action.REPLY: frozenset({Status.IN_PROGRESS}),
    Action.REVIEW_APPROVE: frozenset({Status.PENDING_REVIEW}),
    Action.REVIEW_REJECT: frozenset({Status.PENDING_REVIEW}),
    Action.FEEDBACK: frozenset({Status.PENDING_FEEDBACK}),
    Action.CALLBACK_ATTEMPT: frozenset({Status.PENDING_CALLBACK}),
    Action.CALLBACK: frozenset({Status.PENDING_CALLBACK}),
    Action.REDO: frozenset({Status.CLOSED}),
    Action.SUPERVISE: OPEN_STATUSES,
    Action.LINK_PROJECT: OPEN_STATUSES,
}


class TransitionNotAllowed(Exception):
    """The case's status does not allow the action now (HTTP 409)."""

    def __init__(self, action: str, status: str, message: str = ""):
        # ``message`` (translated) says why when more than the status is at stake.
        self.action, self.status, self.message = action, status, message
        super().__init__(message or f"{action} is not allowed while the case is {status}")

    def explain(self) -> str:
        """The reason in the user's language."""
        if self.message:
            return str(self.message)
        label = Status(self.status).label if self.status in Status.values else self.status
        return _("This cannot be done now: the case is %(status)s. Reload it to see what changed.") % {"status": label}


def check(action: str, status: str) -> None:
    if status not in ALLOWED_FROM[action]:
        raise TransitionNotAllowed(action, status)
