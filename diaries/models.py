import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VisitType(models.TextChoices):
    HOUSEHOLD = "household", _("Household visit")
    ENTERPRISE = "enterprise", _("Enterprise visit")
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone")
    OTHER = "other", _("Other")


class VisitKind(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    ENTERPRISE = "enterprise", _("Enterprise")
    GROUP = "group", _("Group")


class DiaryEntry(models.Model):
    """民情日记: one officer's record of one visit day at one station."""

    officer = models.ForeignKey(
        "accounts.User", verbose_name=_("officer"), on_delete=models.PROTECT, related_name="diaries"
    )
    station = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("station"), on_delete=models.PROTECT, related_name="diaries"
    )
    # Copied from the station when written: scope filters and dashboards read
    # them without a join, and they stay right if the station moves later.
    township = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("township"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.ForeignKey("accounts.OrgUnit", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+")
    visit_date = models.DateField(_("visit date"))
    visit_type = models.CharField(_("visit type"), max_length=12, choices=VisitType.choices)
    content = models.TextField(_("content"))
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # Stored so the dashboards sum 走村入户户次 / 走访企业家次 without counting visits.
    household_visits = models.PositiveIntegerField(_("household visits"), default=0)
    enterprise_visits = models.PositiveIntegerField(_("enterprise visits"), default=0)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    # 形式主义 check: the officer's earlier entry this one nearly repeats, and
    # how alike they are (0–1), set once by diaries.services when written.
    copy_of = models.ForeignKey(
        "self",
        verbose_name=_("possible copy of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    copy_score = models.FloatField(_("similarity"), null=True, blank=True)

    class Meta:
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        ordering = ["-visit_date", "-id"]
        indexes = [
            # An officer's own list, newest first; also "last diary" for the silent-officer notice.
            models.Index(fields=["officer", "-visit_date"], name="diary_officer_date"),
            # Township staff's list and township dashboards by period.
            models.Index(fields=["township", "-visit_date"], name="diary_township_date"),
            models.Index(fields=["city", "visit_date"], name="diary_city_date"),
            # Township staff's "possible copies" filter: the few flagged rows only.
            models.Index(
                fields=["township", "-visit_date"],
                condition=models.Q(copy_of__isnull=False),
                name="diary_township_copies",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit_date} {self.station}"


class Visit(models.Model):
    """One household, enterprise or group met during an entry."""

    entry = models.ForeignKey(
        DiaryEntry, verbose_name=_("diary entry"), on_delete=models.CASCADE, related_name="visits"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=VisitKind.choices)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    # The household or enterprise record visited (HOUSEHOLDS.md); group visits and passers-by have none.
    household = models.ForeignKey(
        "households.Household", verbose_name=_("household record"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="visits",
    )  # fmt: skip

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


def photo_path(instance: "Photo", filename: str) -> str:
    """A random name under MEDIA_ROOT: nothing the uploader chose ends up in a path."""
    return f"diaries/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Photo(models.Model):
    """A photo attached to an entry. Served only through a view that checks the entry's scope."""

    entry = models.ForeignKey(
        DiaryEntry, verbose_name=_("diary entry"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    # Detected from the file's first bytes, never taken from the upload's headers.
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file.name

    @property
    def extension(self) -> str:
        return PHOTO_EXTENSIONS.get(self.content_type, "")


PHOTO_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", "image/heic": ".heic",
                    "image/heif": ".heif"}  # fmt: skip


class Review(models.Model):
    """批阅: a township staff member's comment on an entry; the officer is told."""

    entry = models.ForeignKey(
        DiaryEntry, verbose_name=_("diary entry"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        "accounts.User", verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    comment = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.reviewer}"
