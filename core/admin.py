from django.contrib import admin

from core import workdays
from core.models import WorkdayOverride


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    """Holidays and make-up working days the calendar library does not know (yet)."""

    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    search_fields = ["name", "date"]
    date_hierarchy = "date"

    # Deadlines read a cached copy of this table: every change drops the cache.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        workdays.overrides_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        workdays.overrides_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        workdays.overrides_changed()
