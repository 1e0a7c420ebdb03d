import re

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

# Mainland mobile (11 digits from 13x–19x) or a landline with area code,
# written with or without a dash, optionally with an extension.
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s()（）]", "", value or "")


def validate_phone(value: str) -> None:
    phone = normalise_phone(value)
    if not phone:
        return
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        raise ValidationError(
            _("Enter a mainland mobile number (11 digits) or a landline with its area code, e.g. 0575-83012345."),
            code="invalid_phone",
        )


def field_errors(model, values: dict) -> dict[str, list[str]]:
    """What the model's own fields say about ``values`` (length, choices, blank, digits), plus NUL,
    which PostgreSQL cannot store: the services' last line before the database.

    The forms and serializers check the same things first; this keeps a caller
    that skips them (a task, a script, another service) from reaching the
    database with a value it would refuse with an error instead of a message.
    """
    errors = {}
    for name, value in values.items():
        try:
            if isinstance(value, str):
                ProhibitNullCharactersValidator()(value)
            model._meta.get_field(name).clean(value, None)
        except ValidationError as exc:
            errors[name] = exc.messages
    return errors


def text_errors(values: dict) -> dict[str, list[str]]:
    """NUL in free text that is stored elsewhere (an event's note, a feedback record)."""
    errors = {}
    for name, value in values.items():
        try:
            ProhibitNullCharactersValidator()(value or "")
        except ValidationError as exc:
            errors[name] = exc.messages
    return errors
