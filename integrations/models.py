"""Orders from other platforms (12345 hotline, 基层治理四平台) and the results pushed back to them."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import Level
from cases.choices import Source as CaseSource

# The channels a platform's cases are counted under.
EXTERNAL_SOURCES = (CaseSource.HOTLINE_12345, CaseSource.FOUR_PLATFORMS)


class Source(models.Model):
    """A platform that sends us orders; ``secret`` signs both directions (auth.py)."""

    code = models.CharField(_("code"), max_length=32, unique=True, help_text=_("Sent in X-Minqing-Source."))
    name = models.CharField(_("name"), max_length=100)
    secret = models.CharField(_("secret"), max_length=128)
    push_url = models.URLField(
        _("push URL"), max_length=300, blank=True, help_text=_("Where case events are posted; empty: none.")
    )
    city = models.ForeignKey("accounts.OrgUnit", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+")
    case_source = models.CharField(
        _("channel of its cases"),
        max_length=20,
        choices=[(s.value, s.label) for s in EXTERNAL_SOURCES],
        default=CaseSource.HOTLINE_12345,
    )
    is_active = models.BooleanField(_("active"), default=True)
    # "city": every order waits for the city office; "township": the township named in the order takes it.
    default_level = models.CharField(
        _("level of new cases"),
        max_length=10,
        choices=[(Level.TOWNSHIP, Level.TOWNSHIP.label), (Level.CITY, Level.CITY.label)],
        default=Level.TOWNSHIP,
    )

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class CategoryMapping(models.Model):
    source = models.ForeignKey(Source, verbose_name=_("platform"), on_delete=models.CASCADE, related_name="mappings")
    external_code = models.CharField(_("their category code"), max_length=64)
    category = models.ForeignKey(
        "cases.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("category mapping")
        verbose_name_plural = _("category mappings")
        ordering = ["source", "external_code"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_code"], name="categorymapping_source_code"),
        ]

    def __str__(self) -> str:
        return f"{self.source.code}:{self.external_code} → {self.category}"


class InboundOrder(models.Model):
    """One order as received. ``payload`` never holds the phone: the case keeps it, masked like any other."""

    class Status(models.TextChoices):
        CREATED = "created", _("Case created")
        AWAITING_MAPPING = "awaiting_mapping", _("Awaiting a category mapping")
        REJECTED = "rejected", _("Rejected")

    source = models.ForeignKey(Source, verbose_name=_("platform"), on_delete=models.PROTECT, related_name="orders")
    external_id = models.CharField(_("their order number"), max_length=64)
    payload = models.JSONField(_("order"), default=dict)
    # Held only until the case exists (the case stores the phone); cleared when the case is created.
    reporter_phone = models.CharField(_("resident's phone"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inbound_order",
    )
    received_at = models.DateTimeField(_("received at"), default=timezone.now)

    class Meta:
        verbose_name = _("order from a platform")
        verbose_name_plural = _("orders from platforms")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="inboundorder_source_external"),
        ]

    def __str__(self) -> str:
        return f"{self.source.code}:{self.external_id}"


class Push(models.Model):
    """One case event to post back to the order's platform; sent strictly in ``sequence`` order per order."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        DEAD = "dead", _("Dead")

    order = models.ForeignKey(InboundOrder, verbose_name=_("order"), on_delete=models.CASCADE, related_name="pushes")
    sequence = models.PositiveIntegerField(_("sequence"))
    event = models.CharField(_("event"), max_length=24)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    # The first failure of the current run of failures: 24 hours after it the push is dead.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("push")
        verbose_name_plural = _("pushes")
        ordering = ["order", "sequence"]
        constraints = [models.UniqueConstraint(fields=["order", "sequence"], name="push_order_sequence")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="push_status_next")]

    def __str__(self) -> str:
        return f"{self.order} #{self.sequence} {self.event}"


class AwaitingOrder(InboundOrder):
    """The admin's mapping queue: orders whose category is not mapped yet."""

    class Meta:
        proxy = True
        verbose_name = _("order awaiting a mapping")
        verbose_name_plural = _("orders awaiting a mapping")


class DeadPush(Push):
    """The admin's dead-letter list: pushes that failed for a day."""

    class Meta:
        proxy = True
        verbose_name = _("dead push")
        verbose_name_plural = _("dead pushes")
