"""Filters of the ledger, shared by the API and the ledger page."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from households.models import Household, RecordKind, RecordStatus
from households.selectors import households_due


class HouseholdFilter(django_filters.FilterSet):
    station = django_filters.NumberFilter(field_name="station_id", label=_("station"))
    township = django_filters.NumberFilter(field_name="township_id", label=_("township"))
    kind = django_filters.ChoiceFilter(choices=RecordKind.choices, label=_("kind"))
    tag = django_filters.CharFilter(method="with_tag", max_length=20, label=_("tag"))
    status = django_filters.ChoiceFilter(choices=RecordStatus.choices, label=_("status"))
    due = django_filters.BooleanFilter(method="only_due", label=_("visit due"))
    q = django_filters.CharFilter(method="search", max_length=100, label=_("name or address"))

    class Meta:
        model = Household
        fields = ["station", "township", "kind", "tag", "status", "due", "q"]

    def with_tag(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # A tag's name (as people type it) or its id (as a client sends it).
        if value.isdigit():
            return queryset.filter(tags__id=int(value))
        return queryset.filter(tags__name=value)

    def only_due(self, queryset, name, value):
        if value is None:
            return queryset
        due = households_due(queryset)
        return due if value else queryset.exclude(pk__in=due.values("pk"))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(address__icontains=value))
