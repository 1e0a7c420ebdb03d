"""The ledger in the admin: tags are edited here; records are read here and changed on the pages and the API
(so the care schedule and the audit trail stay right); residents' data masked unless revealed (audited)."""

from django.contrib import admin
from django.db import transaction

from core.admin_lists import LabelledListEditable
from core.admin_masking import PersonalDataAdmin
from core.masking import mask_address, mask_name, mask_phone
from households.models import HandoverNote, Household, HouseholdTag
from households.services import tags_changed


@admin.register(HouseholdTag)
class HouseholdTagAdmin(LabelledListEditable, admin.ModelAdmin):
    list_display = ["name", "interval_days", "order", "active"]
    list_editable = ["interval_days", "order", "active"]
    search_fields = ["name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "interval_days" in form.changed_data:
            # Once the tag row is committed: the records that carry it follow the new interval.
            transaction.on_commit(lambda: tags_changed([obj.pk]))


@admin.register(Household)
class HouseholdAdmin(PersonalDataAdmin):
    list_display = ["name_shown", "kind", "station", "township", "status", "interval_days", "next_visit_due"]
    list_filter = [
        "kind",
        "status",
        ("township", admin.RelatedOnlyFieldListFilter),
        ("tags", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["name", "address"]
    list_select_related = ["station", "township"]
    show_full_result_count = False
    personal_fields = {"name": mask_name, "address": mask_address, "phone": mask_phone, "contact": mask_name}

    def get_readonly_fields(self, request, obj=None):
        return self.masked([f.name for f in Household._meta.fields if f.name not in self.personal_fields] + ["tags"])

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HandoverNote)
class HandoverNoteAdmin(admin.ModelAdmin):
    list_display = ["station", "author", "created_at"]
    list_filter = [("station__township", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["station__name", "author__name"]
    list_select_related = ["station", "author"]
    readonly_fields = ["station", "author", "text", "created_at"]

    def has_add_permission(self, request):
        return False
