"""The wording of every notice, kept here so its translations live in one catalogue.

Templates use ``{name}`` fields. Notices are stored as text in the site's
language (settings.LANGUAGE_CODE) when they are created: the Python path
formats them with ``render``, the sweep turns them into SQL with
``sql_concat`` so a thousand notices are one INSERT … SELECT.
"""

from string import Formatter
from typing import NamedTuple

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Text(NamedTuple):
    title: str
    body: str


# The deadline sweep (cases/sweep/). Fields: code, title, clock, due; officer, since.
SWEEP = {
    "reminder": Text(
        _("Reminder: {clock} of case {code} is due at {due}"),
        _("{title}\nDeadline: {due}. Please deal with it before then."),
    ),
    "overdue": Text(
        _("Overdue: {clock} of case {code} passed its deadline"),
        _("{title}\nThe deadline was {due}. Please deal with it now."),
    ),
    "feedback_overdue": Text(
        _("Feedback overdue: the resident of case {code} has not been told the result"),
        _("{title}\nFeedback was due at {due}. Every issue raised must be answered: tell the resident now."),
    ),
    "supervised": Text(
        _("Supervised: case {code} is five working days past its handling deadline"),
        _("{title}\nThe handling deadline was {due}. The case is now supervised by the city office."),
    ),
    "silent_officer": Text(
        _("{officer} has written no diary for 14 days"),
        _("No diary entry since {since}. Please visit the station and record it."),
    ),
}

# Timeline notes of the sweep's own events. Fields: clock, due.
SUPERVISE_EVENT_NOTE = _("Supervised automatically: five working days past the handling deadline.")
OVERDUE_EVENT_NOTE = _("{clock} deadline passed ({due}).")

# Case events (cases/notices.py), by action. Fields: code, title, note, unit.
EVENT = {
    "raise": Text(_("New case {code} waits for dispatch"), _("{title}")),
    "raise_on_site": Text(_("Case {code} was solved on the spot: call the resident back"), _("{title}\n{note}")),
    "dispatch": Text(_("Case {code} was dispatched to your unit"), _("{title}\n{note}")),
    "escalate": Text(_("Case {code} was escalated to the city"), _("{title}\n{note}")),
    "return": Text(_("Case {code} was returned by the unit"), _("{title}\nReason: {note}")),
    "extension_request": Text(_("Extension requested for case {code}"), _("{title}\n{note}")),
    "extension_decision": Text(_("The extension request for case {code} was decided"), _("{title}\n{note}")),
    "reply": Text(_("Case {code} was replied and waits for review"), _("{title}\n{note}")),
    "review_approve": Text(
        _("Case {code} was handled: tell the resident the result"), _("{title}\nFeedback to the resident is now due.")
    ),
    "review_reject": Text(_("The reply to case {code} was rejected"), _("{title}\nReason: {note}")),
    "feedback": Text(_("Case {code}: the resident was told, call back"), _("{title}")),
    "callback": Text(_("Case {code} is closed"), _("{title}\n{note}")),
    "redo": Text(_("Case {code} was reopened for redo"), _("{title}\nReason: {note}")),
    "supervise": Text(_("Case {code} is supervised by the city office"), _("{title}\n{note}")),
}


def render(template, **values) -> str:
    """The template in the site's language with its fields filled in."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(template).format(**values).strip()


def sql_concat(template, fields: dict[str, str], params: dict, prefix: str) -> str:
    """An SQL expression that spells ``template`` with each field taken from an SQL expression.

    The literal parts become parameters (named ``prefix`` + n in ``params``),
    so nothing typed by a user is ever parsed as a template field or as SQL.
    """
    with translation.override(settings.LANGUAGE_CODE):
        text = str(template)
    parts = []
    for n, (literal, field, _spec, _conv) in enumerate(Formatter().parse(text)):
        if literal:
            params[f"{prefix}{n}"] = literal
            parts.append(f"%({prefix}{n})s")
        if field is not None:
            parts.append(f"COALESCE({fields[field]}, '')")
    return " || ".join(parts) or "''"
