"""The forms of 督办单 pages; the filter form also reads the API's query string."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboards.forms import MonthForm
from oversight.models import OrderLevel, OrderState, SupervisionOrder

_BIG = 2**62


class OrderFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *OrderLevel.choices], required=False)
    state = forms.ChoiceField(label=_("State"), choices=[("", "—"), *OrderState.choices], required=False)
    unit = forms.IntegerField(label=_("Unit"), min_value=1, max_value=_BIG, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    case = forms.IntegerField(label=_("Case"), min_value=1, max_value=_BIG, required=False)

    def apply(self, orders: QuerySet[SupervisionOrder]) -> QuerySet[SupervisionOrder]:
        data = self.cleaned_data
        if data.get("level"):
            orders = orders.filter(level=data["level"])
        for name in ("unit", "year", "case"):
            if data.get(name) is not None:
                orders = orders.filter(**{f"{name}_id" if name != "year" else name: data[name]})
        state = data.get("state")
        if state == OrderState.UNSIGNED:
            orders = orders.filter(signed_at__isnull=True)
        elif state == OrderState.SIGNED:
            orders = orders.filter(signed_at__isnull=False, replied_at__isnull=True)
        elif state == OrderState.REPLIED:
            orders = orders.filter(replied_at__isnull=False)
        elif state == OrderState.OVERDUE:
            orders = orders.filter(overdue=True)
        return orders


class IssueForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=OrderLevel.choices, initial=OrderLevel.SUPERVISE)
    content = forms.CharField(label=_("What is expected"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    reply_by = forms.DateField(
        label=_("Reply by"), widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("A day off moves to the next working day."),
    )  # fmt: skip

    def clean_reply_by(self):
        day = self.cleaned_data["reply_by"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("The reply date cannot be in the past."))
        return day


class ReplyForm(forms.Form):
    content = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class ScoreQueryForm(MonthForm):
    """The scores' month (default: the last finished one) and whether units or townships are scored."""

    kind = forms.ChoiceField(
        label=_("Scored"), required=False,
        choices=[("unit", _("Responsible units")), ("township", _("Townships"))],
        error_messages={"invalid_choice": _("Choose unit or township.")},
    )  # fmt: skip

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or "unit"


class AppealForm(forms.Form):
    """申诉: the case and month come from the link on the case or the scores (?case=&month=)."""

    case = forms.IntegerField(label=_("Case"), min_value=1, max_value=_BIG, widget=forms.HiddenInput)
    month = forms.RegexField(
        label=_("Month"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", widget=forms.HiddenInput,
        error_messages={"invalid": _("Give the month as YYYY-MM.")},
    )  # fmt: skip
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def clean_month(self):
        year, month = (int(x) for x in self.cleaned_data["month"].split("-"))
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Give the month as YYYY-MM."))
        return datetime.date(year, month, 1)


class AppealDecideForm(forms.Form):
    uphold = forms.TypedChoiceField(
        label=_("Decision"), coerce=lambda v: v == "uphold", widget=forms.RadioSelect,
        choices=[("uphold", _("Uphold: the case leaves the month's score")), ("reject", _("Reject"))],
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False,
                           help_text=_("Required when rejecting."))  # fmt: skip


class AwardsForm(forms.Form):
    """The confirmed lists: the month's candidate units, preselected with the proposal."""

    running = forms.TypedMultipleChoiceField(label=_("Running award (奔跑奖)"), coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple)  # fmt: skip
    snail = forms.TypedMultipleChoiceField(label=_("Snail award (蜗牛奖)"), coerce=int, required=False,
                                           widget=forms.CheckboxSelectMultiple)  # fmt: skip
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000,
                             required=False, help_text=_("Required when the lists differ from the proposal."))  # fmt: skip

    def __init__(self, *args, units: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("running", "snail"):
            self.fields[name].choices = units
