"""A resident rates the answer to their request (RESIDENTS.md "Rating it"): a callback with channel ``self``.

It goes through the desk's callback service: it closes a case waiting for its callback, and is
recorded beside the callback that closed a case already closed. An unsolved or unsatisfied answer
puts the case on the desk's redo queue (cases.queues "to_redo"); the desk decides whether to redo.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from cases.choices import CallbackChannel, Satisfaction, Status
from cases.models import Case
from cases.services.closing import callback_beside, case_callback
from residents.models import ResidentRequest

MAX_COMMENT = 500


class RatingRefused(Exception):
    """Not now (409): no feedback yet, or already rated."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def request_rate(
    *,
    request: ResidentRequest,
    solved: bool | None,
    satisfaction: str,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> Case:
    now = now or timezone.now()
    comment = (comment or "").strip()
    errors = {}
    if solved is None:
        errors["solved"] = _("Say whether the problem is solved.")
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = _("Choose how satisfied you are.")
    if len(comment) > MAX_COMMENT or "\x00" in comment:
        errors["comment"] = _("Keep the comment under %(n)d characters.") % {"n": MAX_COMMENT}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The row lock makes a double submission queue up; the second then finds the rating and gets 409.
        case = Case.objects.select_for_update(of=("self",)).get(pk=request.case_id)
        if case.callbacks.filter(channel=CallbackChannel.SELF).exists():
            raise RatingRefused(_("You have already rated this request."))
        if case.status == Status.PENDING_CALLBACK:
            case = case_callback(case_id=case.pk, by=None, reached=True, solved=solved, satisfaction=satisfaction,
                                 note=comment, channel=CallbackChannel.SELF, locked=case, now=now)  # fmt: skip
        elif case.status == Status.CLOSED and case.feedbacks.exists():
            callback_beside(case, by=None, channel=CallbackChannel.SELF, solved=solved, satisfaction=satisfaction,
                            note=comment, now=now)  # fmt: skip
        else:
            raise RatingRefused(_("You can rate the answer once you have been told the result."))
        audit_log(action="resident_rating", obj=request, detail={"case": case.pk, "satisfaction": satisfaction})
    return case
