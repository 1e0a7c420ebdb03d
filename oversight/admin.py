from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_readonly import ReadOnlyAdmin
from oversight.models import AwardDecision, OrderCounter, ScoreAppeal, ScoreSettings, SupervisionOrder


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "case", "unit", "level", "reply_by", "signed_at", "replied_at", "overdue"]
    list_filter = ["level", "overdue", "year"]
    list_select_related = ["case", "unit"]
    # Orders are documents: issued, signed and answered through the services, which number, notify and audit.


@admin.register(OrderCounter)
class OrderCounterAdmin(ReadOnlyAdmin):
    list_display = ["city", "year", "last"]


@admin.register(ScoreSettings)
class ScoreSettingsAdmin(admin.ModelAdmin):
    """One row: added once (until then the scores use the defaults), then edited; never deleted.
    The admin site audits every save; ``ScoreSettings.clean`` refuses weights that do not add up."""

    list_display = ["__str__", "weight_response_rate", "weight_on_time_rate", "weight_satisfaction_rate"]
    fieldsets = [
        (_("Weights"), {"fields": ["weight_response_rate", "weight_on_time_rate", "weight_satisfaction_rate"]}),
        (
            _("Thresholds (below one, the indicator scores 0)"),
            {"fields": ["threshold_response_rate", "threshold_on_time_rate", "threshold_satisfaction_rate"]},
        ),
        (_("Grades"), {"fields": ["grade_a", "grade_b"]}),
        (_("Deductions"), {"fields": ["per_overdue_order", "per_wrong_return"]}),
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ScoreSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScoreAppeal)
class ScoreAppealAdmin(ReadOnlyAdmin):
    # Filed and decided through oversight.appeals, which records, notifies and audits each step.
    list_display = ["__str__", "case", "unit", "month", "decision", "filed_at", "decided_at"]
    list_filter = ["decision", "month"]
    list_select_related = ["case", "unit"]


@admin.register(AwardDecision)
class AwardDecisionAdmin(ReadOnlyAdmin):
    # Confirmed on /oversight/awards/ (oversight.awards), which audits each confirmation.
    list_display = ["__str__", "city", "month", "kind", "units", "confirmed_at"]
    list_filter = ["kind", "month"]
