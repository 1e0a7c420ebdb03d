"""The ledger pages' forms: what people type, checked before households.services checks it again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PhoneField
from households.models import EnterpriseSize, HandoverNote, HouseholdTag, RecordKind, RecordStatus
from households.validators import validate_credit_code

ANY = [("", _("Any"))]


class LedgerFilterForm(forms.Form):
    """The ledger's filters; the same names as the API's (households.api.filters)."""

    station = forms.TypedChoiceField(label=_("Station"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + RecordKind.choices)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + RecordStatus.choices)
    due = forms.ChoiceField(label=_("Visit due"), required=False, choices=[("", _("Any")), ("true", _("Due now"))])
    q = forms.CharField(label=_("Name or address"), required=False, max_length=100)

    def __init__(self, *args, stations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = ANY + [(s.pk, s.name) for s in stations]
        self.fields["tag"].choices = ANY + [(t.name, t.name) for t in HouseholdTag.objects.all()]


class HouseholdForm(forms.Form):
    """A record's fields, for the new-record page and the record page's edit form."""

    kind = forms.ChoiceField(label=_("Kind"), choices=RecordKind.choices, initial=RecordKind.HOUSEHOLD)
    name = forms.CharField(label=_("Name of the head or the enterprise"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = PhoneField(label=_("Phone"))
    members = forms.IntegerField(label=_("Members"), min_value=0, max_value=999, required=False)
    credit_code = forms.CharField(
        label=_("Unified social credit code"), max_length=18, required=False, validators=[validate_credit_code]
    )
    contact = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    industry = forms.CharField(label=_("Industry"), max_length=50, required=False)
    size = forms.ChoiceField(label=_("Size"), choices=[("", "—"), *EnterpriseSize.choices], required=False)
    notes = forms.CharField(label=_("Notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.MultipleChoiceField(label=_("Tags"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, stations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].choices = [(t.name, t.name) for t in HouseholdTag.objects.filter(active=True)]
        if stations is not None:
            # Only on the new-record page: a record stays at its station unless moved through the API.
            self.fields = {
                "station": forms.TypedChoiceField(
                    label=_("Station"), coerce=int, choices=[(s.pk, s.name) for s in stations]
                ),
                **self.fields,
            }

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("station", None)
        data["members"] = data.get("members")
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=RecordStatus.choices)


class HandoverNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Handover note"),
        max_length=HandoverNote.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the next officer of this station should know: who needs visits, what is under way."),
    )
