from django.contrib import admin

from cases.models import (
    Case,
    CaseEvent,
    Category,
    DeadlinePolicy,
    Dispatch,
    Hold,
    Instruction,
    RoutingRule,
    Unreasonable,
)
from core.admin_masking import PersonalDataAdmin
from core.admin_readonly import ReadOnlyAdmin
from core.masking import mask_address, mask_name, mask_phone


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
    search_fields = ["category__name", "unit__label", "township__name"]
    autocomplete_fields = ["unit", "township"]
    list_select_related = ["category", "category__parent", "township", "unit"]


class ReadOnlyInline(admin.TabularInline):
    # Django's tabular inline in a box a keyboard can scroll (it has no link or field to tab to).
    template = "admin/edit_inline/readonly_tabular.html"
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ["created_at", "action", "actor", "from_status", "to_status", "unit", "note"]
    readonly_fields = fields
    ordering = ["created_at", "id"]


class HoldInline(ReadOnlyInline):
    model = Hold
    fields = ["requested_at", "requested_by", "reason", "review_on", "decision", "decided_by", "decided_at", "note",
              "released_at", "released_by", "released_how"]  # fmt: skip
    readonly_fields = fields


class DispatchInline(ReadOnlyInline):
    model = Dispatch
    fields = ["level", "unit", "dispatched_at", "sign_due", "handle_due", "signed_at", "returned_at", "replied_at",
              "approved_at", "ended_at", "outcome", "extension_days"]  # fmt: skip
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(PersonalDataAdmin):
    """Read-mostly: the lifecycle moves only through the services (the pages and the API),
    so status, deadlines and the people involved cannot be edited here."""

    list_display = ["code", "title", "status", "level", "township", "unit", "urgency", "overdue", "supervised",
                    "created_at"]  # fmt: skip
    list_filter = [
        "status",
        "level",
        "urgency",
        "source",
        "overdue",
        "supervised",
        ("township", admin.RelatedOnlyFieldListFilter),
        ("category", admin.RelatedOnlyFieldListFilter),
        "created_at",
    ]
    search_fields = ["code", "title", "description"]
    list_select_related = ["township", "unit"]
    date_hierarchy = "created_at"
    editable_fields = ["title", "description", "category", "difficulty"]
    inlines = [DispatchInline, HoldInline, EventInline]
    show_full_result_count = False
    personal_fields = {"reporter_name": mask_name, "reporter_phone": mask_phone, "reporter_address": mask_address}

    def get_readonly_fields(self, request, obj=None):
        return self.masked(
            [f.name for f in Case._meta.fields if f.name not in self.editable_fields] + ["assisting_units"]
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    """The timeline is append-only: nothing here can be added, changed or deleted."""

    list_display = ["created_at", "case", "action", "actor", "from_status", "to_status", "level", "unit"]
    list_filter = ["action", "level", "to_status", "created_at"]
    search_fields = ["case__code", "case__title", "note", "actor__username", "actor__name"]
    list_select_related = ["case", "actor", "unit"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ["level", "urgency", "clock", "amount", "unit"]
    list_filter = ["level", "urgency", "clock", "unit"]
    search_fields = ["level", "urgency", "clock"]


@admin.register(Instruction)
class InstructionAdmin(ReadOnlyAdmin):
    """Instructions are written and carried out through their services, which notify and audit."""

    list_display = ["created_at", "author", "case", "project", "carried_out_at"]
    list_select_related = ["author", "case", "project"]
    date_hierarchy = "created_at"


@admin.register(Hold)
class HoldAdmin(ReadOnlyAdmin):
    """挂账 move only through the case actions and the sweep (they stop and restart the clocks): read-only here."""

    list_display = ["case", "review_on", "decision", "requested_at", "decided_at", "released_at", "released_how"]
    list_filter = ["decision", "released_how", "review_on"]
    search_fields = ["case__code", "case__title", "reason"]
    list_select_related = ["case"]


@admin.register(Unreasonable)
class UnreasonableAdmin(ReadOnlyAdmin):
    """不合理诉求 are asked and decided only through the case actions (events, notices, audit): read-only here."""

    list_display = ["case", "decision", "requested_at", "requested_by", "decided_at", "decided_by"]
    list_filter = ["decision"]
    search_fields = ["case__code", "case__title", "reason"]
    list_select_related = ["case", "requested_by", "decided_by"]
    date_hierarchy = "requested_at"
