"""Admin forms that run the services' checks, so the admin shows their messages next to the fields."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import OrgUnit, StationAssignment


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
