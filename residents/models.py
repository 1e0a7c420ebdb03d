"""民情码 (RESIDENTS.md): the station's code residents scan, and the requests they raise through it."""

import secrets
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diaries.models import PHOTO_EXTENSIONS


def new_token() -> str:
    # 128 bits: the URL is printed on posters, so it must not be guessable or enumerable.
    return secrets.token_urlsafe(16)


class StationCode(models.Model):
    """A station's 民情码: ``/r/<token>/``. Rotating it gives a new token; the old one stops answering."""

    station = models.OneToOneField(
        "accounts.OrgUnit", verbose_name=_("station"), on_delete=models.CASCADE, related_name="resident_code"
    )
    token = models.CharField(_("token"), max_length=40, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    rotated_at = models.DateTimeField(_("rotated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("民情码")
        verbose_name_plural = _("民情码")

    def __str__(self) -> str:
        return str(self.station)


class ResidentRequest(models.Model):
    """What a resident raised through a 民情码: the case, and what lets them (and only them) follow it."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="resident_request"
    )
    station_code = models.ForeignKey(
        StationCode, verbose_name=_("民情码"), on_delete=models.PROTECT, related_name="requests"
    )
    # The tracking code is the case's code plus this secret; the phone's last four digits are asked too.
    secret = models.CharField(_("tracking secret"), max_length=12)
    phone_tail = models.CharField(_("last four digits of the phone"), max_length=4)
    # A keyed hash of the source address (residents.limits): the per-address limit counts it; the address is
    # never stored or logged.
    address_hash = models.CharField(_("source address (hashed)"), max_length=64, blank=True, default="")
    consent_at = models.DateTimeField(_("consent given at"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("resident's request")
        verbose_name_plural = _("residents' requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Per-phone limits count a day's requests by the phone's tail first, then check the full number.
            models.Index(fields=["phone_tail", "created_at"], name="resident_request_tail_created"),
            # The per-address limit: an hour's requests from one address.
            models.Index(fields=["address_hash", "created_at"], name="resident_request_addr_created"),
        ]

    def __str__(self) -> str:
        return str(self.case)

    @property
    def tracking_code(self) -> str:
        """What the resident types on the tracking page: the case's code and the request's secret."""
        return f"{self.case.code}-{self.secret}"


class Message(models.Model):
    """One SMS to the resident of a request: the residents' outbox (RESIDENTS.md "Messages to residents").

    A resident is no user, so the notices' outbox (one row per user's notice) cannot carry it; this row
    works the same way: written in the transaction of what it tells, sent by a worker after commit
    (``residents.messages``), retried with the notices' backoff. ``key`` names what it tells
    ("received", "answered:<feedback id>", "redo:<event id>"): the unique index makes a replay a no-op.
    The phone is read from the case when sending, so the number is stored in one place only.
    """

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Request received")
        ANSWERED = "answered", _("Feedback given")
        REDO = "redo", _("Redo decided")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    request = models.ForeignKey(
        ResidentRequest, verbose_name=_("resident's request"), on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    key = models.CharField(_("what it tells"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("message to a resident")
        verbose_name_plural = _("messages to residents")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["request", "key"], name="resident_message_once")]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"), name="resident_message_due")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.key}"


def photo_path(instance: "ResidentPhoto", filename: str) -> str:
    """A random name: nothing the resident chose ends up in a path."""
    return f"residents/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{PHOTO_EXTENSIONS.get(instance.content_type, '')}"


class ResidentPhoto(models.Model):
    """A photo a resident attached to a request (checked and stripped of metadata as a diary's are)."""

    request = models.ForeignKey(
        ResidentRequest, verbose_name=_("resident's request"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    content_type = models.CharField(_("content type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("resident's photo")
        verbose_name_plural = _("residents' photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file.name


class TrackingMiss(models.Model):
    """A tracking look-up that found nothing, by hashed source address: after a few, that address waits."""

    address_hash = models.CharField(_("source address (hashed)"), max_length=64)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("tracking miss")
        verbose_name_plural = _("tracking misses")
        indexes = [models.Index(fields=["address_hash", "at"], name="tracking_miss_addr_at")]

    def __str__(self) -> str:
        return f"{self.address_hash[:8]} {self.at:%Y-%m-%d %H:%M}"
