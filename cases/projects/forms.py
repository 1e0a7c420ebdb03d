from django import forms
from django.utils.translation import gettext_lazy as _

from cases.choices import ProjectStatus


class DateInput(forms.DateInput):
    input_type = "date"


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class _UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.label


class SetupForm(forms.Form):
    """The city office sets the project up (cases.services.projects.project_update checks the values)."""

    lead_unit = _UnitChoice(label=_("Lead unit"), queryset=None, required=False)
    assisting_units = _UnitsChoice(label=_("Assisting units"), queryset=None, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    budget = forms.DecimalField(label=_("Budget (10k yuan)"), min_value=0, max_digits=12, decimal_places=2)
    spent = forms.DecimalField(label=_("Spent (10k yuan)"), min_value=0, max_digits=12, decimal_places=2)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units
        self.fields["assisting_units"].queryset = units


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    planned_on = forms.DateField(label=_("Planned on"), widget=DateInput)


class CompleteForm(forms.Form):
    """Shown in each milestone's row, without a visible label: the row and the column say what it is."""

    done_on = forms.DateField(label=_("Done on"), widget=DateInput(attrs={"aria-label": _("Done on")}),
                              required=False)  # fmt: skip


class UpdateForm(forms.Form):
    """A progress update (cases.services.project_progress.progress_update)."""

    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    draft_to_cases = forms.BooleanField(label=_("Send to the linked open cases as a feedback draft"), required=False)


class HotspotProjectForm(forms.Form):
    """A hotspot becomes a project: its title, lead unit and first milestone."""

    title = forms.CharField(label=_("Title"), max_length=200)
    lead_unit = _UnitChoice(label=_("Lead unit"), queryset=None)
    milestone_title = forms.CharField(label=_("First milestone"), max_length=200)
    milestone_on = forms.DateField(label=_("Planned on"), widget=DateInput)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units


class InstructionForm(forms.Form):
    """A leader's instruction (批示) on the project (cases.services.instructions.project_instruction checks it)."""

    content = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
