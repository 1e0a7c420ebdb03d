from django.contrib import admin

from core.admin_readonly import ReadOnlyAdmin
from oversight.models import OrderCounter, SupervisionOrder


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "case", "unit", "level", "reply_by", "signed_at", "replied_at", "overdue"]
    list_filter = ["level", "overdue", "year"]
    list_select_related = ["case", "unit"]
    # Orders are documents: issued, signed and answered through the services, which number, notify and audit.


@admin.register(OrderCounter)
class OrderCounterAdmin(ReadOnlyAdmin):
    list_display = ["city", "year", "last"]
