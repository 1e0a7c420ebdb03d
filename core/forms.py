"""Form fields shared by the pages, the API filters and the exports."""

from django import forms
from django.utils.translation import gettext_lazy as _

YES = frozenset({"true", "1", "yes", "on"})
NO = frozenset({"false", "0", "no", "off"})


def parse_yes_no(value) -> bool | None:
    """True or False for the spellings links and clients use, None when empty; ValueError otherwise."""
    if value is None or isinstance(value, bool):
        return value
    raw = str(value).strip().lower()
    if raw == "":
        return None
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise ValueError(raw)


class YesNoSelect(forms.Select):
    """All / yes / no (a filter, so the empty choice means "all"); a bound ``1`` or ``on`` shows as
    the option it means."""

    def __init__(self, attrs=None):
        super().__init__(attrs, choices=(("", _("All")), ("true", _("Yes")), ("false", _("No"))))

    def format_value(self, value):
        try:
            parsed = parse_yes_no(value[0] if isinstance(value, list | tuple) and value else value)
        except ValueError:
            return [""]
        return [{True: "true", False: "false"}.get(parsed, "")]


class YesNoField(forms.Field):
    """An optional yes/no: ``true/1/yes/on`` or ``false/0/no/off``; anything else is an error, never ignored
    (a link's ``overdue=1`` once fell through a stricter field and showed every case)."""

    widget = YesNoSelect
    default_error_messages = {"invalid": _("Use true or false (1 or 0).")}

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> bool | None:
        try:
            return parse_yes_no(value)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PhoneField(forms.CharField):
    """A resident's phone: checked for what it is (a mobile, or a landline with its area code) and
    stored without spaces. The length is limited in the browser (maxlength) and the one message for
    any wrong number says what a right one looks like, instead of a bare "at most 20 characters"."""

    MAX = 20

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "maxlength": str(self.MAX), "inputmode": "tel", "autocomplete": "tel"}

    def clean(self, value):
        from core.validators import normalise_phone, validate_phone

        value = super().clean(value)
        validate_phone(value)
        return normalise_phone(value)
