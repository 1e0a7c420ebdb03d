"""Admin forms that run the services' checks, so the admin shows their messages next to the fields."""

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


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"), help_text=_("Sheets: org_units, users, assignments."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx workbook."))
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The workbook is larger than 20 MB."))
        return upload
