"""The audit search form: every field optional, bad values answered next to the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

OUTCOMES = [
    ("", _("any")),
    ("ok", _("ok")),
    ("failed", _("failed")),
    ("forbidden", _("forbidden")),
    ("conflict", _("conflict")),
    ("invalid", _("invalid")),
    ("not_found", _("not found")),
    ("locked", _("locked")),
]


class AuditSearchForm(forms.Form):
    date_from = forms.DateField(label=_("from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("until"), required=False, widget=DATE)
    username = forms.CharField(label=_("user name"), required=False, max_length=150)
    action = forms.CharField(label=_("action"), required=False, max_length=50)
    object_type = forms.CharField(label=_("object type"), required=False, max_length=50)
    object_id = forms.CharField(label=_("object id"), required=False, max_length=64)
    outcome = forms.ChoiceField(label=_("outcome"), required=False, choices=OUTCOMES)
    ip = forms.GenericIPAddressField(label=_("source address"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        for name in ("username", "action", "object_type", "object_id"):
            if name in data:
                data[name] = data[name].strip()
        return data
