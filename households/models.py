"""民情档案 (HOUSEHOLDS.md): the lasting records of a station's households and enterprises."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import validate_phone
from households.validators import validate_credit_code


class RecordKind(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    ENTERPRISE = "enterprise", _("Enterprise")


class RecordStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MOVED = "moved", _("Moved away")
    CLOSED = "closed", _("Deceased / closed")


class EnterpriseSize(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class HouseholdTag(models.Model):
    """An admin-editable tag (独居老人, 低保户, ...); one with an interval makes its records key records."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    interval_days = models.PositiveSmallIntegerField(
        _("visit interval (days)"),
        null=True,
        blank=True,
        help_text=_("Records with this tag are to be visited at least this often. Leave empty for no schedule."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    # A retired tag stays on the records that carry it but is no longer offered.
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("household tag")
        verbose_name_plural = _("household tags")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """One household (户) or enterprise (企业) of a station, kept for its whole history."""

    kind = models.CharField(_("kind"), max_length=12, choices=RecordKind.choices, default=RecordKind.HOUSEHOLD)
    station = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("station"), on_delete=models.PROTECT, related_name="households"
    )
    # Copied from the station when written (like DiaryEntry): scopes and figures read them without a join.
    township = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.ForeignKey("accounts.OrgUnit", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+")
    # The head of the household, or the enterprise's name.
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    members = models.PositiveSmallIntegerField(_("members"), null=True, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    contact = models.CharField(_("contact person"), max_length=50, blank=True)
    industry = models.CharField(_("industry"), max_length=50, blank=True)
    size = models.CharField(_("size"), max_length=10, choices=EnterpriseSize.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(HouseholdTag, verbose_name=_("tags"), blank=True, related_name="households")
    status = models.CharField(_("status"), max_length=10, choices=RecordStatus.choices, default=RecordStatus.ACTIVE)
    # When the record stopped being active: the retention period runs from here.
    inactive_since = models.DateField(_("inactive since"), null=True, blank=True)
    # Set when the retention task cleared the personal fields; the history stays, anonymous.
    anonymized_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # Derived and stored by households.services (the shortest interval of the tags; the last linked
    # visit; last visit + interval): the sweep, the picker and the figures read them without joins.
    interval_days = models.PositiveSmallIntegerField(_("visit interval (days)"), null=True, blank=True, editable=False)
    last_visit_on = models.DateField(_("last visit"), null=True, blank=True, editable=False)
    next_visit_due = models.DateField(_("next visit due"), null=True, blank=True, editable=False)
    # The due dates the sweep's care notices were last written for (households.care): a record whose due
    # date is the one already told is not looked at again, so an hourly run reads only what is new.
    care_soon_told_for = models.DateField(null=True, blank=True, editable=False)
    care_overdue_told_for = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("household record")
        verbose_name_plural = _("household records")
        ordering = ["station", "address", "name", "id"]
        constraints = [
            # Imports match records by station + address + name (HOUSEHOLDS.md "Import").
            models.UniqueConstraint(
                fields=["station", "address", "name"], condition=~Q(address=""), name="household_station_address_name"
            ),
        ]
        indexes = [
            # The station's ledger and the picker: active records of one station.
            models.Index(fields=["station", "status", "name"], name="household_station_status_name"),
            # A township's ledger and figures.
            models.Index(fields=["township", "status"], name="household_township_status"),
            models.Index(fields=["city", "status"], name="household_city_status"),
            # The care schedule: key records by due date.
            models.Index(
                fields=["next_visit_due"],
                condition=Q(status="active", interval_days__isnull=False),
                name="household_key_due",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_key(self) -> bool:
        return self.interval_days is not None


class HandoverNote(models.Model):
    """交接说明: what an officer leaving a station tells the next one; shown on the station page."""

    MAX_LENGTH = 4000

    station = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("station"), on_delete=models.CASCADE, related_name="handover_notes"
    )
    author = models.ForeignKey("accounts.User", verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("handover note"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("handover note")
        verbose_name_plural = _("handover notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.station} {self.created_at:%Y-%m-%d}"
