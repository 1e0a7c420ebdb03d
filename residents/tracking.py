"""A resident follows their request (RESIDENTS.md "Following it"): the tracking code and the phone's
last four digits find it; what they see is the plain story, never internal notes or staff names.

Every mismatch (unknown code, wrong secret, wrong tail, malformed input) is the same ``None``,
so an answer never tells which part was wrong.
"""

import datetime
import hmac
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cases.choices import CallbackChannel, Status
from residents.models import ResidentRequest

_CODE_RE = re.compile(r"^[A-Za-z0-9-]{3,60}$")
_TAIL_RE = re.compile(r"^\d{4}$")


def find(code: str, phone_tail: str) -> ResidentRequest | None:
    """The request of this tracking code and phone tail, or None whatever did not match."""
    code, phone_tail = (code or "").strip().upper(), (phone_tail or "").strip()
    if not _CODE_RE.match(code) or not _TAIL_RE.match(phone_tail) or "-" not in code:
        return None
    case_code, secret = code.rsplit("-", 1)
    request = ResidentRequest.objects.select_related("case", "case__unit").filter(case__code=case_code).first()
    if request is None:
        return None
    # Compared in constant time, so timing tells nothing about how much of the secret was right.
    if not (hmac.compare_digest(request.secret, secret) and hmac.compare_digest(request.phone_tail, phone_tail)):
        return None
    return request


# What the resident is told of each status, in plain words.
_RECEIVED = {Status.PENDING_DISPATCH, Status.PENDING_SIGN}
_HANDLING = {Status.IN_PROGRESS, Status.PENDING_REVIEW, Status.PENDING_FEEDBACK}


def _status(request: ResidentRequest) -> tuple[str, str]:
    case = request.case
    if case.status == Status.CLOSED or case.invalid:
        return "closed", _("Finished")
    if case.status == Status.PENDING_CALLBACK:
        return "answered", _("Answered: please tell us whether it is solved")
    if case.status in _HANDLING:
        return "handling", _("Being handled")
    return "received", _("Received, waiting to be passed to the unit concerned")


@dataclass(frozen=True)
class Rating:
    solved: bool | None
    satisfaction: str
    comment: str
    at: datetime.datetime


@dataclass(frozen=True)
class Story:
    """What the tracking page and API show."""

    code: str
    status: str
    status_text: str
    unit: str
    received_at: datetime.datetime
    answered_at: datetime.datetime | None
    feedback: str
    rating: Rating | None

    @property
    def may_rate(self) -> bool:
        return self.answered_at is not None and self.rating is None and self.status in ("answered", "closed")


def story(request: ResidentRequest, code: str) -> Story:
    case = request.case
    feedback = case.feedbacks.order_by("-given_at", "-id").first()
    own = case.callbacks.filter(channel=CallbackChannel.SELF).order_by("at", "id").first()
    status, text = _status(request)
    return Story(
        code=code.strip().upper(),
        status=status,
        status_text=text,
        # The unit's name only: never the people who handled it.
        unit=case.unit.label if case.unit_id else "",
        received_at=case.created_at,
        answered_at=feedback.given_at if feedback else None,
        feedback=feedback.content if feedback else "",
        rating=Rating(own.solved, own.satisfaction, own.note, own.at) if own else None,
    )
