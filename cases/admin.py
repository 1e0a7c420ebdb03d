from django.contrib import admin

from cases.models import Category, RoutingRule


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "default_difficulty", "is_active", "sort_order"]
    list_filter = ["is_active", "default_difficulty", "parent"]
    search_fields = ["name", "code"]
    list_select_related = ["parent"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["category", "difficulty", "township", "level", "unit", "auto_dispatch", "is_active"]
    list_filter = ["level", "auto_dispatch", "is_active", "difficulty"]
    search_fields = ["category__name", "unit__name", "township__name"]
    autocomplete_fields = ["unit", "township"]
    list_select_related = ["category", "category__parent", "township", "unit"]
