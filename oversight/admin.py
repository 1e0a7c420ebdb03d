from django.contrib import admin

from oversight.models import OrderCounter, SupervisionOrder


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "case", "unit", "level", "reply_by", "signed_at", "replied_at", "overdue"]
    list_filter = ["level", "overdue", "year"]
    raw_id_fields = ["case", "unit", "city", "issued_by", "signed_by", "replied_by"]
    # Orders are documents: numbers and the timeline are written by the services only.
    readonly_fields = ["city", "year", "serial", "issued_at", "issued_by", "handle_due"]


@admin.register(OrderCounter)
class OrderCounterAdmin(admin.ModelAdmin):
    list_display = ["city", "year", "last"]
    readonly_fields = ["city", "year", "last"]
