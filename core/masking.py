"""Masking of residents' personal data for lists, exports and API answers."""


def mask_phone(value: str | None) -> str:
    """138****5678 for a mobile; keep area code and last four of a landline."""
    if not value:
        return ""
    digits = value.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def mask_name(value: str | None) -> str:
    """张三丰 → 张**: enough for staff to recognise a case, not the person."""
    if not value:
        return ""
    return value[0] + "*" * (len(value) - 1)


def mask_address(value: str | None) -> str:
    """东溪村8号 → 东溪****: the place is recognisable, the door is not."""
    if not value:
        return ""
    return value[:2] + "*" * 4
