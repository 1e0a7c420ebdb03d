from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from residents.codes import code_rotate
from residents.models import Message, StationCode


@admin.register(StationCode)
class StationCodeAdmin(admin.ModelAdmin):
    """Codes are made on first use; an admin may rotate them (the old URL stops working at once)."""

    list_display = ["station", "created_at", "rotated_at"]
    search_fields = ["station__name", "station__code"]
    readonly_fields = ["station", "token", "created_at", "rotated_at"]
    actions = ["rotate"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description=_("Change the selected codes (the old ones stop working)"))
    def rotate(self, request, queryset):
        for code in queryset.select_related("station"):
            code_rotate(request.user, code.station, request=request)
        self.message_user(request, _("Codes changed: print the cards and posters again."), messages.SUCCESS)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """For operators: which messages to residents wait, which failed and why (no phone numbers here)."""

    list_display = ["request", "kind", "status", "attempts", "next_attempt_at", "last_error", "sent_at"]
    list_filter = ["status", "kind"]
    readonly_fields = ["request", "kind", "key", "attempts", "last_error", "sent_at", "created_at"]
    raw_id_fields = ["request"]

    def has_add_permission(self, request) -> bool:
        return False
