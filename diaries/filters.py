"""Filters of diary lists, shared by the API and the list page."""

import django_filters
from django.db.models import Q

from diaries.models import DiaryEntry


class DiaryFilter(django_filters.FilterSet):
    officer = django_filters.NumberFilter(field_name="officer_id")
    station = django_filters.NumberFilter(field_name="station_id")
    township = django_filters.NumberFilter(field_name="township_id")
    date_from = django_filters.DateFilter(field_name="visit_date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="visit_date", lookup_expr="lte")
    q = django_filters.CharFilter(method="search", max_length=100)
    possible_copy = django_filters.BooleanFilter(field_name="copy_of", lookup_expr="isnull", exclude=True)

    class Meta:
        model = DiaryEntry
        fields = ["officer", "station", "township", "date_from", "date_to", "q", "possible_copy"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(content__icontains=value) | Q(station__name__icontains=value))
