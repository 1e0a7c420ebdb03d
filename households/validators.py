"""统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character over the first 17."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The code's alphabet: digits and the capitals without I, O, Z, S, V; a character's value is its index.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18 or any(c not in CREDIT_CODE_ALPHABET for c in code):
        raise ValidationError(
            _("A unified social credit code has 18 digits and capital letters (no I, O, Z, S or V)."),
            code="credit_code_format",
        )
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("This unified social credit code's check character is wrong: please check the code."),
            code="credit_code_check",
        )
