from django import forms
from django.utils.translation import gettext_lazy as _


class ProgressForm(forms.Form):
    """The city office reports a project's progress (cases.services.projects.project_update)."""

    progress = forms.CharField(label=_("Progress"), widget=forms.Textarea, required=False, max_length=4000)
    is_done = forms.BooleanField(label=_("Done"), required=False)


class InstructionForm(forms.Form):
    """A leader's instruction (批示) on the project (cases.services.instructions.project_instruction checks it)."""

    content = forms.CharField(label=_("Instruction"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
