"""What a case action is: its rules as data, and the refusals every layer answers the same way.

A ``CaseAction`` holds everything LIFECYCLE.md says about one action — the
statuses and level it runs from, who may take it and what they are told when
they may not, the body it reads (API serializer, page form), the timeline
events it writes, what each event says and who hears of it. Services enforce
it; the API routes, page forms, "what may I do now", notices, the access
matrix and the OpenAPI schema are all derived from the same objects.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from cases.choices import Status
from core.errors import StateConflict

if TYPE_CHECKING:
    from cases.models import Case, CaseEvent
    from notifications.texts import Text


class TransitionNotAllowed(StateConflict):
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


class ActionForbidden(PermissionDenied):
    """The actor can see the case but their role may not take this action (HTTP 403)."""


@dataclass(frozen=True)
class Event:
    """One kind of timeline event (``cases.choices.Action``): where it leaves the case, who hears of it,
    what they read, what it says.

    ``to`` is the status the case is in after the event (None: it stays where it was); the
    services move the case there and the bulk demo seeder follows the same table.

    ``notice`` is a ``notifications.texts.Text`` made with ``keyed`` (its notices store the key
    and are worded again for each reader) or a function of the event choosing one (a decision's
    wording depends on the decision); None tells nobody. ``says`` gives the event's details in the
    reader's language at display time (the timeline, the API), from the event's stored ``data``.
    """

    kind: str
    to: str | None = None
    audience: dict[str, str] | None = None
    notice: "Text | Callable[[CaseEvent], Text | None] | None" = None
    says: "Callable[[CaseEvent], str] | None" = None

    def notice_for(self, event: "CaseEvent") -> "Text | None":
        if self.audience is None or self.notice is None:
            return None
        return self.notice(event) if callable(self.notice) else self.notice


@dataclass(frozen=True)
class CaseAction:
    """One action of API.md's table, declared once.

    ``name`` is the route segment (``/api/v1/cases/{id}/<name>/`` and the
    page's ``/cases/{id}/<name>/``). ``who`` names, per level of the case, the
    roles that may take it; a user may when they hold one of them in its
    relation to the case (cases.permissions.RELATION: the desk of the case's
    township or city, the handler of its unit, the officer who raised it).
    The access matrix and the schema read ``who`` too. ``offered`` is what else must
    hold for the action to be offered at all (a pending extension to decide);
    the service still says why when it is not. ``service`` is the dotted path
    of the service that enforces this definition and writes the change.
    """

    name: str
    label: Promise
    events: tuple[Event, ...]
    allowed_from: frozenset[str]
    who: dict[str, tuple[str, ...]]
    forbidden: Promise
    body: type
    form: type
    service: str
    levels: frozenset[str] | None = None
    wrong_level: Promise | None = None
    offered: "Callable[[Case, Any], bool] | None" = None
    # ``offered`` as a query condition, for the work queues that list where the action waits.
    waits: "Callable[[], Q] | None" = None
    # How a page offers it beside the others: "main" (the work itself: first, the primary button),
    # "side" (asking for time, going up, supervising) or "back" (handing the case back: last, quiet).
    emphasis: str = "main"
    extra: dict = field(default_factory=dict)

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(e.kind for e in self.events)

    @property
    def roles(self) -> tuple[str, ...]:
        """Every role that may take the action at some level."""
        return tuple(dict.fromkeys(r for roles in self.who.values() for r in roles))

    def waiting_for(self, role: str) -> Q:
        """The cases on which a holder of ``role`` may take this action now, by status and level:
        a work queue, once the caller's relation to the cases (permissions.relation_q) is added."""
        levels = [lv for lv, roles in self.who.items() if role in roles and (self.levels is None or lv in self.levels)]
        q = Q(status__in=sorted(self.allowed_from), level__in=sorted(levels))
        return q & self.waits() if self.waits is not None else q

    def may(self, user, case: "Case") -> bool:
        from cases.permissions import RELATION

        return user is not None and any(RELATION[role](user, case) for role in self.who.get(case.level, ()))

    def refusal(self, user, case: "Case") -> Exception | None:
        """Why ``user`` may not take the action on ``case`` now, in the order the answers rank:
        the status (409), the level (409), then the role (403)."""
        if case.status not in self.allowed_from:
            return TransitionNotAllowed(self.kinds[0], case.status)
        if self.levels is not None and case.level not in self.levels:
            return TransitionNotAllowed(self.kinds[0], case.status, str(self.wrong_level or ""))
        if not self.may(user, case):
            return ActionForbidden(str(self.forbidden))
        return None

    def check(self, user, case: "Case") -> None:
        refused = self.refusal(user, case)
        if refused is not None:
            raise refused

    def lock(self, *, case_id: int, actor, cases: "QuerySet[Case] | None" = None) -> "Case":
        """Fetch the case for update through the actor's scope and check this action against it.

        The row lock makes two people acting at once queue up; the second
        then sees the new status and is refused (409) instead of overwriting.
        Outside the actor's scope this raises Case.DoesNotExist (404).
        ``cases`` is the scoped queryset to lock from when the caller wants
        more columns joined (the API answers from the same row).
        """
        from cases.models import Case, Extension, Hold
        from cases.selectors import cases_visible_to, instruction_flags, unreasonable_flag

        queryset = cases if cases is not None else cases_visible_to(actor)
        # Read with the row, so the services and the answer skip what is not there: whether an
        # extension request waits (the extension actions depend on it; leaving the unit withdraws
        # it), whether there are extensions or assisting units at all (the answer lists them).
        extensions = Extension.objects.filter(case=OuterRef("pk"))
        case = (
            queryset.annotate(
                extension_pending=Exists(extensions.filter(decision=Extension.Decision.PENDING)),
                has_extensions=Exists(extensions),
                hold_pending=Exists(Hold.objects.filter(case=OuterRef("pk"), decision=Hold.Decision.PENDING)),
                has_holds=Exists(Hold.objects.filter(case=OuterRef("pk"), decision=Hold.Decision.APPROVED)),
                has_assisting=Exists(Case.assisting_units.through.objects.filter(case=OuterRef("pk"))),
                **instruction_flags(),
                **unreasonable_flag(),
            )
            .select_for_update(of=("self",))
            .get(pk=case_id)
        )
        self.check(actor, case)
        return case

    def acquire(self, *, case_id: int, actor, locked: "Case | None") -> "Case":
        """For the service: the case ``perform`` already locked and checked, or lock it now."""
        return locked if locked is not None else self.lock(case_id=case_id, actor=actor)

    def run(self, **kwargs) -> "Case":
        return import_string(self.service)(**kwargs)

    def is_offered(self, user, case: "Case", now) -> bool:
        return self.refusal(user, case) is None and (self.offered is None or self.offered(case, now))
