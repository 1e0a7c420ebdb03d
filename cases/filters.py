"""The case list's filters and ordering (API.md), shared by /api/v1/cases/ and /cases/."""

import datetime

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import FilterSet

from accounts.models import RESPONSIBLE_KINDS, TOWNSHIP_KINDS
from accounts.selectors import org_units_visible_to
from cases.choices import Level, Status, Urgency
from cases.models import Case, Category
from cases.overdue import filter_held, filter_overdue
from cases.selectors import count_visible
from core.forms import YesNoField


def _townships(request):
    if request is None:
        return org_units_visible_to(None).none()
    return org_units_visible_to(request.user).filter(kind__in=TOWNSHIP_KINDS).order_by("sort_order", "code")


def _units(request):
    if request is None:
        return org_units_visible_to(None).none()
    return org_units_visible_to(request.user).filter(kind__in=RESPONSIBLE_KINDS).order_by("sort_order", "code")


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Cases without a deadline yet sort after the others either way, on PostgreSQL and SQLite alike
    (their defaults differ: PostgreSQL puts NULL last ascending, SQLite first)."""

    def build_choices(self, fields, labels):
        # Lazy labels: django-filter formats them once, at import, in whatever language was active then
        # (an English page read "反映时间 (descending)").
        choices = []
        for field, param in fields.items():
            label = labels.get(field, param)
            choices += [(param, label), (f"-{param}", format_lazy("{} ({})", label, _("descending")))]
        return choices

    def get_ordering_value(self, param: str):
        value = super().get_ordering_value(param)
        descending = value.startswith("-")
        field = F(value.lstrip("-"))
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)


class YesNoFilter(django_filters.Filter):
    """A yes/no filter that refuses what it cannot read (400 on the API, a form error on the page)."""

    field_class = YesNoField


class CaseFilter(FilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=Status.choices)
    level = django_filters.ChoiceFilter(label=_("level"), choices=Level.choices)
    category = django_filters.ModelChoiceFilter(
        label=_("category"),
        queryset=Category.objects.filter(is_active=True).select_related("parent"),
        to_field_name="code",
        method="filter_category",
    )
    # A figure per category counts that category's own cases: its link (dashboards.tables.figure_links)
    # asks for exactly those, where the form's category also finds a top-level category's children.
    category_exact = django_filters.ModelChoiceFilter(
        label=_("category"),
        queryset=Category.objects.all(),
        to_field_name="code",
        field_name="category",
        widget=forms.HiddenInput,
    )
    urgency = django_filters.ChoiceFilter(label=_("urgency"), choices=Urgency.choices)
    township = django_filters.ModelChoiceFilter(label=_("township"), queryset=_townships)
    unit = django_filters.ModelChoiceFilter(label=_("responsible unit"), queryset=_units)
    overdue = YesNoFilter(label=_("overdue"), method="filter_overdue")
    supervised = YesNoFilter(label=_("supervised"))
    held = YesNoFilter(label=_("on hold (挂账)"), method="filter_held")
    # 无效 requests count in no figure (dashboards.facts); a figure's link leaves them out the same way.
    invalid = YesNoFilter(label=_("marked invalid (无效)"))
    # The officers page opens "the cases this officer raised" here; the list's form carries it along
    # unseen rather than offering a drop-down of every officer in a city.
    officer = django_filters.NumberFilter(label=_("raising officer"), field_name="officer_id", widget=forms.HiddenInput)
    date_from = django_filters.DateFilter(label=_("raised from"), method="filter_date_from", widget=DATE)
    date_to = django_filters.DateFilter(label=_("raised until"), method="filter_date_to", widget=DATE)
    q = django_filters.CharFilter(label=_("text"), method="filter_text")
    ordering = NullsLastOrderingFilter(
        label=_("order by"),
        fields=(("created_at", "created_at"), ("due_at", "due_at"), ("handle_due", "handle_due")),
        field_labels={"created_at": _("raised at"), "due_at": _("running deadline"), "handle_due": _("handle due")},
    )

    class Meta:
        model = Case
        fields = [
            "status",
            "level",
            "category",
            "urgency",
            "township",
            "unit",
            "overdue",
            "supervised",
            "held",
            "officer",
        ]

    def filter_category(self, queryset: QuerySet[Case], name: str, value: Category) -> QuerySet[Case]:
        # A top-level category also finds the cases of its children.
        return queryset.filter(Q(category=value) | Q(category__parent=value))

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        return filter_overdue(queryset, value)

    def filter_held(self, queryset: QuerySet[Case], name: str, value: bool) -> QuerySet[Case]:
        return filter_held(queryset, value)

    def filter_date_from(self, queryset: QuerySet[Case], name: str, value: datetime.date) -> QuerySet[Case]:
        # Whole local days, compared on the indexed column rather than a date cast of it.
        return queryset.filter(created_at__gte=_local_midnight(value))

    def filter_date_to(self, queryset: QuerySet[Case], name: str, value: datetime.date) -> QuerySet[Case]:
        return queryset.filter(created_at__lt=_local_midnight(value + datetime.timedelta(days=1)))

    def filter_text(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(code__icontains=value) | Q(description__icontains=value))


def narrows(params) -> bool:
    """Whether ``params`` (a query string) set any of the list's filters: unset, a list shows the whole scope."""
    return any(params.get(name) not in (None, "") for name in CaseFilter.base_filters)


def whole_scope_count(user, params) -> int | None:
    """The count of a list ``params`` leave unfiltered, where an index alone answers it
    (cases.selectors.count_visible); None where the list has to be counted as it is."""
    return None if narrows(params) else count_visible(user)
