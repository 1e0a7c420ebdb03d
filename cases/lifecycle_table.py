"""Where each action leaves a case: the other half of cases.transitions.ALLOWED_FROM (LIFECYCLE.md).

The services move a case themselves; this table says the same for code that
writes timelines without them (demo.bulk writes a year of history in bulk and
cannot call a service per case). cases/tests/test_lifecycle_table.py holds it
to what the services do, so the two cannot drift apart unnoticed.
"""

from cases.choices import Action, Clock, Status

# action → the status it leaves the case in; None: the status stays as it was.
STATUS_AFTER: dict[str, str | None] = {
    # Raised for help. A case solved on the spot is raised with its feedback given at once
    # (→ STATUS_AFTER[FEEDBACK]), and called back there too when the resident answered (→ CALLBACK's).
    Action.RAISE: Status.PENDING_DISPATCH,
    Action.DISPATCH: Status.PENDING_SIGN,
    Action.ESCALATE: Status.PENDING_DISPATCH,
    Action.SIGN: Status.IN_PROGRESS,
    Action.RETURN: Status.PENDING_DISPATCH,
    Action.EXTENSION_REQUEST: None,
    Action.EXTENSION_DECISION: None,
    Action.REPLY: Status.PENDING_REVIEW,
    Action.REVIEW_APPROVE: Status.PENDING_FEEDBACK,
    Action.REVIEW_REJECT: Status.IN_PROGRESS,
    Action.FEEDBACK: Status.PENDING_CALLBACK,
    Action.CALLBACK_ATTEMPT: None,
    Action.CALLBACK: Status.CLOSED,
    Action.REDO: Status.PENDING_DISPATCH,
    Action.SUPERVISE: None,
    Action.LINK_PROJECT: None,
    Action.OVERDUE: None,
}

# clock → the action that fixes its deadline ahead of time. Every other clock
# starts when the case enters the status it runs in (CLOCK_OF_STATUS); the
# handle deadline is fixed at dispatch, kept when the case is signed for (or a
# reply is rejected) and moved only by an approved extension.
DEADLINE_FIXED_BY: dict[str, str] = {Clock.HANDLE: Action.DISPATCH}
