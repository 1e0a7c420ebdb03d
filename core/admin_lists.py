"""Editable columns of an admin list (``list_editable``) that a screen reader can name.

Django's changelist draws each editable cell's input without a ``<label>``, and points its
``aria-describedby`` at the field's help text, which the list never shows: axe rates both serious.
Each input is named by its row and its column instead, and the list's forms carry no help text.
"""

from django import forms
from django.utils.translation import gettext as _


class LabelledRowForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        row = str(self.instance) if self.instance.pk else ""
        for field in self.fields.values():
            field.help_text = ""
            column = str(field.label)
            field.widget.attrs["aria-label"] = (
                _("%(row)s: %(column)s") % {"row": row, "column": column} if row else column
            )


class LabelledListEditable:
    """For a ModelAdmin with ``list_editable``: its list's inputs named as LabelledRowForm names them."""

    def get_changelist_form(self, request, **kwargs):
        kwargs.setdefault("form", LabelledRowForm)
        return super().get_changelist_form(request, **kwargs)
