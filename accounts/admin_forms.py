"""Admin forms that run the services' checks, so the admin shows their messages next to the fields."""

import datetime

from django import forms
from django.contrib.auth.forms import UserChangeForm
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.handover import officer_handover_validate, officer_holdings, work_townships
from accounts.models import OrgUnit, StationAssignment, User
from accounts.selectors import officers_of_townships


class OrgUnitAdminForm(forms.ModelForm):
    class Meta:
        model = OrgUnit
        fields = ["code", "name", "kind", "parent", "is_active", "sort_order"]

    def clean(self):
        data = super().clean()
        if "kind" in data:
            services.org_unit_validate(kind=data["kind"], parent=data.get("parent"), instance=self.instance)
        return data


class AssignmentAdminForm(forms.ModelForm):
    class Meta:
        model = StationAssignment
        fields = ["officer", "station", "dispatching_unit", "start", "end"]

    def clean(self):
        data = super().clean()
        officer = data.get("officer") or (self.instance.officer if self.instance.officer_id else None)
        if officer and data.get("station") and data.get("start"):
            services.assignment_validate(
                officer=officer,
                station=data["station"],
                start=data["start"],
                end=data.get("end"),
                exclude_pk=self.instance.pk,
            )
        return data


class AssignmentInlineFormSet(forms.BaseInlineFormSet):
    """Rows of one submission may not overlap each other either (the service sees only saved rows)."""

    def clean(self):
        super().clean()
        rows = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("start")
        ]
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if a.get("station") == b.get("station") and _overlap(a, b):
                    raise forms.ValidationError(
                        _("Two periods at %(station)s overlap in this form; change or remove one.")
                        % {"station": a["station"]}
                    )


def _overlap(a: dict, b: dict) -> bool:
    far = datetime.date.max
    return a["start"] <= (b.get("end") or far) and b["start"] <= (a.get("end") or far)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"), help_text=_("Sheets: org_units, users, assignments."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx workbook."))
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The workbook is larger than 20 MB."))
        return upload


class UserAdminChangeForm(UserChangeForm):
    def clean_is_active(self):
        active = self.cleaned_data.get("is_active")
        user = self.instance
        if user.pk and user.is_active and not active:
            held = officer_holdings(user)
            if held:
                # Nothing may be left without an owner (HOUSEHOLDS.md "Handover"): a successor is chosen first.
                raise forms.ValidationError(
                    format_html(
                        '{} <a href="{}">{}</a>',
                        gettext(
                            "%(name)s still holds %(cases)d open case(s) and %(assignments)d station assignment(s); "
                            "deactivating would leave them without an owner."
                        )
                        % {"name": user, "cases": held.open_cases, "assignments": held.assignments},
                        reverse("admin:accounts_user_handover", args=[user.pk]),
                        gettext("Hand over and deactivate"),
                    )
                )
        return active


class HandoverForm(forms.Form):
    """Who takes over an officer's stations and open cases: an active officer of the same township."""

    successor = forms.ModelChoiceField(label=_("Successor"), queryset=User.objects.none())

    def __init__(self, *args, officer: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.officer = officer
        townships = work_townships(officer)
        self.fields["successor"].queryset = officers_of_townships(townships).exclude(pk=officer.pk)
        self.fields["successor"].label_from_instance = lambda u: f"{u} ({u.username}, {u.org_unit or '—'})"

    def clean(self):
        data = super().clean()
        if data.get("successor") is not None:
            officer_handover_validate(officer=self.officer, successor=data["successor"])
        return data
