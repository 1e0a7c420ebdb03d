"""无效: the desk closes a request that is spam, a test or a duplicate (LIFECYCLE.md, RESIDENTS.md).

The case closes at once without feedback (there is no request to answer) and leaves every figure
(``dashboards.facts`` counts valid cases only); it stays in the lists with its badge, on its timeline and
in the audit trail. Days already rolled up are counted again by the nightly roll-up, which recounts the days
of every case with a new event (dashboards.services.rollup.changed_days), as after any other action.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.actions.definitions import INVALID
from cases.choices import Action, InvalidReason
from cases.models import Case
from cases.services.core import action_service, after, now_or, record, required_text, save, start_clock


@action_service
def case_mark_invalid(
    *,
    case_id: int,
    by,
    kind: str = "",
    reason: str = "",
    locked: Case | None = None,
    now: datetime.datetime | None = None,
) -> Case:
    now = now_or(now)
    case = INVALID.acquire(case_id=case_id, actor=by, locked=locked)
    errors = {}
    if kind not in InvalidReason.values:
        errors["kind"] = _("Choose why the request is invalid: spam, a test or a duplicate.")
    try:
        reason = required_text(reason, field="reason", message=_("Say why the request is invalid."))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    from_status = case.status
    case.invalid, case.closed_at = True, now
    start_clock(case, after(Action.INVALID), now=now)
    save(case, "invalid", "closed_at")
    record(case, action=Action.INVALID, actor=by, from_status=from_status, now=now, note=reason,
           unit=case.unit_id, data={"kind": kind})  # fmt: skip
    return case
