import re

from django.core.exceptions import ValidationError
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
