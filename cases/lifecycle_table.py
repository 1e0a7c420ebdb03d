"""Where each action leaves a case, and which deadline is fixed ahead, for code that writes timelines
without the services (demo.bulk writes a year of history in bulk and cannot call a service per case).

Both halves come from the action definitions (cases.actions: each event's ``to``, each action's
``allowed_from`` in cases.transitions), which the services follow too;
cases/tests/test_lifecycle_table.py holds them to what the services do.
"""

from cases.actions import EVENTS
from cases.choices import Action, Clock

# action → the status it leaves the case in; None: the status stays as it was. From the definitions.
STATUS_AFTER: dict[str, str | None] = {kind: event.to for kind, event in EVENTS.items()}

# clock → the action that fixes its deadline ahead of time. Every other clock
# starts when the case enters the status it runs in (CLOCK_OF_STATUS); the
# handle deadline is fixed at dispatch, kept when the case is signed for (or a
# reply is rejected) and moved only by an approved extension.
DEADLINE_FIXED_BY: dict[str, str] = {Clock.HANDLE: Action.DISPATCH}
