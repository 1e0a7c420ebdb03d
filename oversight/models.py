"""督办单: numbered supervision orders the city office (or the sweep) sends a case's unit (OVERSIGHT.md)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderLevel(models.TextChoices):
    URGE = "urge", _("Urge (催办)")
    SUPERVISE = "supervise", _("Supervise (督办)")
    LISTED = "listed", _("Listed supervision (挂牌督办)")


class OrderState(models.TextChoices):
    """The list filter's states; ``overdue`` is a flag beside the other three."""

    UNSIGNED = "unsigned", _("Not signed for")
    SIGNED = "signed", _("Signed, not answered")
    REPLIED = "replied", _("Answered")
    OVERDUE = "overdue", _("Overdue")


class OrderCounter(models.Model):
    """The last number issued per city and year; its row is locked while numbers are taken."""

    city = models.ForeignKey("accounts.OrgUnit", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("order counter")
        verbose_name_plural = _("order counters")
        constraints = [models.UniqueConstraint(fields=["city", "year"], name="ordercounter_city_year")]

    def __str__(self) -> str:
        return f"{self.city} {self.year}: {self.last}"


class SupervisionOrder(models.Model):
    city = models.ForeignKey("accounts.OrgUnit", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="supervision_orders"
    )
    # The case's unit when the order was issued: the order stays theirs if the case moves on.
    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="supervision_orders"
    )
    level = models.CharField(_("level"), max_length=12, choices=OrderLevel.choices)
    content = models.TextField(_("what is expected"))
    reply_by = models.DateField(_("reply by"))
    # None: issued by the deadline sweep on its own.
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    issued_at = models.DateTimeField(_("issued at"))
    # The handle deadline an automatic order was issued for: one order per case and deadline.
    handle_due = models.DateTimeField(_("handle deadline"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("replied by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    overdue = models.BooleanField(_("overdue"), default=False)

    class Meta:
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["city", "year", "serial"], name="supervisionorder_number"),
            models.UniqueConstraint(
                fields=["case", "handle_due"], condition=models.Q(issued_by__isnull=True),
                name="supervisionorder_automatic_once",
            ),
        ]  # fmt: skip
        indexes = [
            # The sweep's overdue rule: unanswered orders by their date.
            models.Index(fields=["reply_by"], condition=models.Q(replied_at__isnull=True), name="order_unanswered"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"督〔{self.year}〕{self.serial}号"

    @property
    def state(self) -> str:
        if self.replied_at:
            return OrderState.REPLIED
        return OrderState.SIGNED if self.signed_at else OrderState.UNSIGNED

    def get_state_display(self) -> str:
        return str(OrderState(self.state).label)


# 考核 indicators: the METRICS.md key each weight and threshold is about, in the order a table shows them.
INDICATORS = ("response_rate", "on_time_rate", "satisfaction_rate")


class ScoreSettings(models.Model):
    """How a month's score is made (OVERSIGHT.md): one row, edited in the admin; ``current()`` answers
    the defaults while nobody has saved it."""

    weight_response_rate = models.IntegerField(_("weight of the response rate"), default=30)
    weight_on_time_rate = models.IntegerField(_("weight of the on-time completion rate"), default=35)
    weight_satisfaction_rate = models.IntegerField(_("weight of the satisfaction rate"), default=35)
    # Percent: an indicator under its threshold scores 0.
    threshold_response_rate = models.DecimalField(
        _("threshold of the response rate (%)"), max_digits=4, decimal_places=1, default=0
    )
    threshold_on_time_rate = models.DecimalField(
        _("threshold of the on-time completion rate (%)"), max_digits=4, decimal_places=1, default=70
    )
    threshold_satisfaction_rate = models.DecimalField(
        _("threshold of the satisfaction rate (%)"), max_digits=4, decimal_places=1, default=0
    )
    grade_a = models.DecimalField(_("grade A from"), max_digits=4, decimal_places=1, default=90)
    grade_b = models.DecimalField(_("grade B from"), max_digits=4, decimal_places=1, default=75)
    per_overdue_order = models.DecimalField(
        _("points off per overdue supervision order"), max_digits=4, decimal_places=1, default=2
    )
    per_wrong_return = models.DecimalField(
        _("points off per return found wrong"), max_digits=4, decimal_places=1, default=1
    )

    class Meta:
        verbose_name = _("score settings")
        verbose_name_plural = _("score settings")

    def __str__(self) -> str:
        return str(_("Score settings"))

    @classmethod
    def current(cls) -> "ScoreSettings":
        return cls.objects.order_by("pk").first() or cls()

    def weight(self, indicator: str) -> int:
        return getattr(self, f"weight_{indicator}")

    def threshold(self, indicator: str):
        return getattr(self, f"threshold_{indicator}")

    def clean(self) -> None:
        errors: dict[str, str] = {}
        numbers = [f.name for f in self._meta.concrete_fields if f.name != "id"]
        for name in numbers:
            value = getattr(self, name)
            if value is not None and value < 0:
                errors[name] = _("No negative values.")
            elif value is not None and name.startswith(("threshold_", "grade_")) and value > 100:
                errors[name] = _("At most 100.")
        weights = [self.weight(i) for i in INDICATORS]
        if not errors and None not in weights and sum(weights) != 100:
            errors["weight_response_rate"] = _("The weights must add up to 100 (now %(sum)s).") % {"sum": sum(weights)}
        if not errors and None not in (self.grade_a, self.grade_b) and self.grade_a <= self.grade_b:
            errors["grade_a"] = _("Grade A must start above grade B.")
        if errors:
            raise ValidationError(errors)


class AppealDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Rejected")


class ScoreAppeal(models.Model):
    """申诉: a responsible unit asks that a case leave its score of a month; the city office decides."""

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="appeals")
    unit = models.ForeignKey("accounts.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month whose score is appealed."))
    reason = models.TextField(_("reason"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("filed by"), on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip
    filed_at = models.DateTimeField(_("filed at"))
    decision = models.CharField(_("decision"), max_length=10, choices=AppealDecision.choices,
                                default=AppealDecision.PENDING)  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("score appeal")
        verbose_name_plural = _("score appeals")
        ordering = ["-filed_at", "-id"]
        constraints = [
            # A rejected appeal may be followed by a new one; a pending or upheld one may not.
            models.UniqueConstraint(
                fields=["case", "unit", "month"], condition=~models.Q(decision="rejected"), name="scoreappeal_once",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.case_id} {self.unit_id} {self.month:%Y-%m}"


class AwardKind(models.TextChoices):
    RUNNING = "running", _("Running award (奔跑奖)")
    SNAIL = "snail", _("Snail award (蜗牛奖)")


class AwardDecision(models.Model):
    """奔跑奖 / 蜗牛奖 of a city's month as the city office confirmed them (OVERSIGHT.md "Awards").

    ``units`` and ``proposed`` are ordered lists of OrgUnit ids: what was confirmed, and the automatic
    proposal from the scores at the time. Confirming again replaces the row (the audit trail keeps both).
    """

    city = models.ForeignKey("accounts.OrgUnit", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    kind = models.CharField(_("award"), max_length=8, choices=AwardKind.choices)
    units = models.JSONField(_("units"), default=list, blank=True)
    proposed = models.JSONField(_("proposed units"), default=list, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"),
                                     on_delete=models.PROTECT, related_name="+")  # fmt: skip
    confirmed_at = models.DateTimeField(_("confirmed at"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        constraints = [models.UniqueConstraint(fields=["city", "month", "kind"], name="awarddecision_once")]

    def __str__(self) -> str:
        return f"{self.city} {self.month:%Y-%m} {self.kind}"
