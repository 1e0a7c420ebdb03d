"""The one table of which action may run from which status (LIFECYCLE.md)."""

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
        self.action, self.status = action, status
        super().__init__(message or f"{action} is not allowed while the case is {status}")


def check(action: str, status: str) -> None:
    if status not in ALLOWED_FROM[action]:
        raise TransitionNotAllowed(action, status)
