from django.contrib import admin

from notifications.models import Delivery, Notification, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["org_unit", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "org_unit__name"]
    autocomplete_fields = ["org_unit"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["recipient", "case", "claim"]
    date_hierarchy = "created_at"


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """For operators: what is waiting, what failed and why."""

    list_display = ["notification", "channel", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status", "channel"]
    raw_id_fields = ["notification"]
    readonly_fields = ["notification", "channel", "attempts", "last_error", "sent_at", "created_at"]
