"""The wording of every notice, and how a stored notice is worded again for whoever reads it.

A notice keeps what happened, not prose: the key of its wording (a ``Text``
made with ``keyed``) and the values of the wording's ``{name}`` fields as
JSON (``Notification.params``). Each reader gets it in their own language
through ``reword``. The ``title`` and ``body`` columns still get the text in
the site's language (settings.LANGUAGE_CODE) when the notice is written:
old rows, the admin, search and anything reading raw rows use them, and
``reword`` falls back to them when a notice cannot be worded again.

A field name means the same in every wording, so a parameter is stored in
one form and read the same way everywhere (``FIELDS``): ``due`` is a moment
(ISO 8601), ``since`` and ``date`` dates (ISO), ``clock`` a ``cases.choices.Clock`` code
whose label is translated when read. Other fields are shown as stored.

The Python path formats the site-language text with ``render``; the sweep
turns a wording into SQL with ``sql_concat`` so a thousand notices are one
INSERT … SELECT.
"""

import datetime
from collections.abc import Callable
from string import Formatter
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from cases.choices import Clock


class Text(NamedTuple):
    title: str
    body: str
    # What the notices worded by it store, to word them again for each reader; "" for none.
    key: str = ""


_KEYED: dict[str, Text] = {}


def keyed(key: str, title, body) -> Text:
    """A wording that notices name by ``key``; keys are stored, so an old key keeps its meaning."""
    if key in _KEYED:
        raise ValueError(f"notice wording {key!r} is defined twice")
    _KEYED[key] = text = Text(title, body, key)
    return text


# The deadline sweep (cases/sweep/). Fields: code, title, clock, due; officer, since, days.
SWEEP = {
    "reminder": keyed(
        "sweep.reminder",
        _("Reminder: {clock} of case {code} is due at {due}"),
        _("{title}\nDeadline: {due}. Please deal with it before then."),
    ),
    "overdue": keyed(
        "sweep.overdue",
        _("Overdue: {clock} of case {code} passed its deadline"),
        _("{title}\nThe deadline was {due}. Please deal with it now."),
    ),
    "feedback_overdue": keyed(
        "sweep.feedback_overdue",
        _("Feedback overdue: the resident of case {code} has not been told the result"),
        _("{title}\nFeedback was due at {due}. Every issue raised must be answered: tell the resident now."),
    ),
    "supervised": keyed(
        "sweep.supervised",
        _("Supervised: case {code} is five working days past its handling deadline"),
        _("{title}\nThe handling deadline was {due}. The case is now supervised by the city office."),
    ),
    "silent_officer": keyed(
        "sweep.silent_officer",
        _("{officer} has written no diary for {days} days"),
        _("No diary entry since {since}. Please visit the station and record it."),
    ),
}

# Diaries (diaries/services.py). Fields: officer, station, date; reviewer, comment.
DIARY = {
    "possible_copy": keyed(
        "diary.possible_copy", _("A diary entry may repeat an earlier one"), _("{officer}, {station}, {date}")
    ),
    "reviewed": keyed("diary.reviewed", _("{reviewer} reviewed your diary of {date}"), _("{comment}")),
}

# The care schedule of key household records (households/care.py). Fields: name, station, due.
CARE = {
    "soon": keyed("care.soon", _("Visit due soon: {name}"), _("{name} ({station}) is due a visit by {due}.")),
    "overdue": keyed(
        "care.overdue",
        _("Visit overdue: {name}"),
        _("{name} ({station}) was due a visit on {due}. Please visit soon."),
    ),
}

# Timeline notes of the sweep's own events. Fields: clock, due.
SUPERVISE_EVENT_NOTE = _("Supervised automatically: five working days past the handling deadline.")
OVERDUE_EVENT_NOTE = _("{clock} deadline passed ({due}).")


# --- reading stored parameters ----------------------------------------------------------------------------


def _moment(value) -> str:
    moment = parse_datetime(value)
    if moment is None:
        raise ValueError(f"not a moment: {value!r}")
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)  # the database's own convention
    # Deadlines are the county's: the same wall-clock time for every reader, as on the case page.
    return formats.date_format(timezone.localtime(moment, ZoneInfo(settings.TIME_ZONE)), "Y-m-d H:i")


def _date(value) -> str:
    day = parse_date(value)
    if day is None:
        raise ValueError(f"not a date: {value!r}")
    return formats.date_format(day, "Y-m-d")


def _clock(value) -> str:
    # An unknown code (a clock renamed later) reads as stored rather than failing the notice.
    return str(Clock(value).label) if value in Clock.values else str(value)


FIELDS: dict[str, Callable[[str], str]] = {"due": _moment, "since": _date, "date": _date, "clock": _clock}


def _read(name: str, value) -> str:
    if value is None or value == "":
        return ""
    reader = FIELDS.get(name)
    return reader(str(value)) if reader else str(value)


def word(text: Text, params: dict) -> Text:
    """``text`` in the active language with its fields read from ``params``.

    Raises KeyError for a field ``params`` lacks and ValueError for a value that does not read.
    """
    values = {name: _read(name, value) for name, value in params.items()}
    return Text(str(text.title).format(**values).strip(), str(text.body).format(**values).strip(), text.key)


def in_site_language(text: Text, params: dict) -> Text:
    """What the ``title`` and ``body`` columns store."""
    with translation.override(settings.LANGUAGE_CODE):
        return word(text, params)


def reword(*, key: str, params, title: str, body: str) -> Text:
    """What a stored notice says in the active language.

    A row without a key (written before notices kept one: no data migration
    rewrites them), a key a later change removed, or parameters that no
    longer fill the wording: the stored text, so a notice always shows.
    """
    text = _KEYED.get(key) if key else None
    if text is None or not isinstance(params, dict):
        return Text(title, body, key)
    try:
        return word(text, params)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        return Text(title, body, key)


# --- the site's language, for stored text and SQL -----------------------------------------------------------


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
