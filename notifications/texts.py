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


# The deadline sweep (cases/sweep/). Fields: code, title, clock, due; officer, since, days.
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
        _("{officer} has written no diary for {days} days"),
        _("No diary entry since {since}. Please visit the station and record it."),
    ),
}

# Timeline notes of the sweep's own events. Fields: clock, due.
SUPERVISE_EVENT_NOTE = _("Supervised automatically: five working days past the handling deadline.")
OVERDUE_EVENT_NOTE = _("{clock} deadline passed ({due}).")


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
