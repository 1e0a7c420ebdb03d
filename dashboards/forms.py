"""Query parameters of the pages, the API and the exports, checked against what the caller may see."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import RESPONSIBLE_KINDS, TOWNSHIP_KINDS, OrgUnit
from accounts.selectors import org_units_visible_to
from dashboards.selection import Area, Selection, area_of

MAX_PERIOD_DAYS = 3 * 366


def townships_for(user, area: Area):
    units = OrgUnit.objects.filter(kind__in=TOWNSHIP_KINDS)
    if area.everything:
        return units
    if area.city_ids or area.township_ids:
        return units.filter(pk__in=area.township_ids) | units.filter(city_id__in=area.city_ids)
    return org_units_visible_to(user).filter(kind__in=TOWNSHIP_KINDS)


def units_for(user, area: Area):
    if area.everything:
        return OrgUnit.objects.filter(kind__in=RESPONSIBLE_KINDS)
    return org_units_visible_to(user).filter(kind__in=RESPONSIBLE_KINDS)


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # The label tells apart the nine 综合治理办公室 (METRICS.md).
        return obj.label


class StatsFilterForm(forms.Form):
    """Period, township and unit of a dashboard, a stats answer or a table export."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    township = _UnitChoice(label=_("Township"), queryset=OrgUnit.objects.none(), required=False,
                           error_messages={"invalid_choice": _("Unknown township.")})  # fmt: skip
    unit = _UnitChoice(label=_("Unit"), queryset=OrgUnit.objects.none(), required=False,
                       error_messages={"invalid_choice": _("Unknown unit.")})  # fmt: skip

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.area = area_of(user)
        self.fields["township"].queryset = townships_for(user, self.area).order_by("sort_order", "code")
        self.fields["unit"].queryset = units_for(user, self.area).order_by("kind", "sort_order", "code")

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to.replace(month=1, day=1)
        if "date_from" in self.errors or "date_to" in self.errors:
            return data
        if date_from > date_to:
            self.add_error("date_from", _("The start must not be after the end."))
        elif (date_to - date_from).days >= MAX_PERIOD_DAYS:
            self.add_error("date_from", _("Choose a period of at most three years."))
        data["date_from"], data["date_to"] = date_from, date_to
        return data

    def selection(self) -> Selection:
        data = self.cleaned_data
        return Selection(
            area=self.area,
            date_from=data["date_from"],
            date_to=data["date_to"],
            township_id=data["township"].pk if data.get("township") else None,
            unit_id=data["unit"].pk if data.get("unit") else None,
        )

    def params(self) -> dict:
        """The cleaned filters as query-string values (for links and exports)."""
        data = self.cleaned_data
        out = {"date_from": data["date_from"].isoformat(), "date_to": data["date_to"].isoformat()}
        for name in ("township", "unit"):
            if data.get(name):
                out[name] = str(data[name].pk)
        return out


def default_stats_form(user) -> StatsFilterForm:
    form = StatsFilterForm({}, user=user)
    form.is_valid()
    return form


class MonthForm(forms.Form):
    month = forms.RegexField(
        label=_("Month"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False,
        error_messages={"invalid": _("Give the month as YYYY-MM.")},
    )  # fmt: skip

    def clean_month(self) -> datetime.date:
        value = self.cleaned_data.get("month")
        if not value:
            today = timezone.localdate()
            # The last finished month: that is what rankings and reports are about.
            return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
        year, month = (int(x) for x in value.split("-"))
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Give the month as YYYY-MM."))
        return datetime.date(year, month, 1)


def month_bounds(first: datetime.date) -> tuple[datetime.date, datetime.date]:
    nxt = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first, nxt - datetime.timedelta(days=1)


class MapForm(StatsFilterForm):
    """The map's filters: the dashboard's period and area, and which figure colours the townships."""

    figure = forms.ChoiceField(label=_("Figure"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from dashboards.mapdata import FIGURE_LABELS

        self.fields["figure"].choices = list(FIGURE_LABELS.items())
        # First among the fields: it is what the map is about.
        self.order_fields(["figure", "date_from", "date_to", "township", "unit"])

    def clean_figure(self) -> str:
        return self.cleaned_data.get("figure") or "cases"

    def params(self) -> dict:
        return {**super().params(), "figure": self.cleaned_data["figure"]}


class CoverageListForm(StatsFilterForm):
    """The records behind a coverage figure: the dashboard's period and area, and which records."""

    figure = forms.ChoiceField(label=_("Records"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from households.coverage import LIST_FIGURES

        self.fields["figure"].choices = [(f, LIST_LABELS[f]) for f in LIST_FIGURES]
        self.order_fields(["figure", "date_from", "date_to", "township"])
        # Records have no responsible unit: the unit filter of the dashboards does not apply.
        del self.fields["unit"]

    def clean_figure(self) -> str:
        return self.cleaned_data.get("figure") or "households"

    def params(self) -> dict:
        return {**super().params(), "figure": self.cleaned_data["figure"]}


LIST_LABELS = {
    "households": _("Records in the ledger"),
    "households_visited": _("Records visited in the period"),
    "not_visited": _("Records not yet visited in the period"),
    "key_households": _("Key records"),
    "key_on_time": _("Key records visited on schedule"),
    "key_overdue": _("Key records overdue for a visit"),
}
