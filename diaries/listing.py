"""The filter bar of the diary list page: which choices each role gets.

Filtering itself is diaries.filters.DiaryFilter (shared with the API); this
form only offers sensible choices and shows what was picked.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import STATION_KINDS, TOWNSHIP_KINDS, OrgUnit, StationAssignment, User
from accounts.roles import Role
from accounts.scope import scope_of
from accounts.selectors import org_units_visible_to


class DiaryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    township = forms.TypedChoiceField(label=_("Township"), required=False, coerce=int)
    station = forms.TypedChoiceField(label=_("Village / station"), required=False, coerce=int)
    officer = forms.TypedChoiceField(label=_("Officer"), required=False, coerce=int)
    possible_copy = forms.NullBooleanField(
        label=_("Possible copies only"),
        required=False,
        widget=forms.Select(choices=[("", "—"), ("true", _("Yes"))]),
    )


def filter_form_for(user, data) -> DiaryFilterForm:
    """A filter form with the choices that make sense for the user's scope.

    An officer filters their own stations; a township desk its stations and
    officers; a city desk its townships (a city has too many stations and
    officers for one drop-down).
    """
    form = DiaryFilterForm(data)
    scope = scope_of(user)
    any_ = [("", _("All"))]
    if scope.everything or scope.city_ids:
        townships = org_units_visible_to(user).filter(kind__in=TOWNSHIP_KINDS).order_by("sort_order", "code")
        form.fields["township"].choices = any_ + [(u.pk, u.name) for u in townships]
    else:
        del form.fields["township"]
    if scope.township_ids and not (scope.everything or scope.city_ids):
        stations = OrgUnit.objects.filter(township_id__in=scope.township_ids, kind__in=STATION_KINDS).order_by(
            "kind", "sort_order", "code"
        )
        officers = (
            User.objects.filter(roles__role=Role.OFFICER, assignments__station__township_id__in=scope.township_ids)
            .distinct()
            .order_by("name")
        )
        form.fields["station"].choices = any_ + [(u.pk, u.label) for u in stations]
        form.fields["officer"].choices = any_ + [(u.pk, str(u)) for u in officers]
    elif scope.officer_id and not (scope.everything or scope.city_ids):
        own = (
            StationAssignment.objects.filter(officer_id=scope.officer_id)
            .select_related("station")
            .order_by("station__name")
        )
        form.fields["station"].choices = any_ + list({a.station_id: a.station.label for a in own}.items())
        del form.fields["officer"]
        del form.fields["possible_copy"]
    else:
        del form.fields["station"]
        del form.fields["officer"]
    return form
