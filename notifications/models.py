from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications import texts
from notifications.texts import Text


class SweepClaim(models.Model):
    """One rule of the deadline sweep fired for one subject, exactly once.

    The subject is a case's running deadline (case, clock, due_at) or an
    officer's silence (officer, since). The unique indexes are the claim:
    the sweep inserts with ON CONFLICT DO NOTHING in the same transaction
    as the notices, so a second sweep, a second worker, or a rerun after a
    worker died half-way never sends a notice twice. A moved deadline
    (extension) is a new subject and reminds again. Lives here rather than
    in cases because what it guards is the notices.
    """

    rule = models.CharField(_("rule"), max_length=24)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    clock = models.CharField(_("clock"), max_length=10, blank=True)
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    officer = models.ForeignKey(
        "accounts.User", verbose_name=_("officer"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    since = models.DateField(_("silent since"), null=True, blank=True)
    # The sweep run that won the claim: its later statements in the same
    # transaction find "what I just claimed" with it, without a list of ids.
    run = models.CharField(_("sweep run"), max_length=32)
    claimed_at = models.DateTimeField(_("claimed at"))

    class Meta:
        verbose_name = _("sweep claim")
        verbose_name_plural = _("sweep claims")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "case", "clock", "due_at"],
                condition=Q(case__isnull=False),
                name="sweepclaim_once_per_deadline",
            ),
            models.UniqueConstraint(
                fields=["rule", "officer", "since"],
                condition=Q(officer__isnull=False),
                name="sweepclaim_once_per_silence",
            ),
        ]
        # "The claims this run just won", read back inside the same transaction.
        indexes = [models.Index(fields=["run", "rule"], name="sweepclaim_run_rule")]

    def __str__(self) -> str:
        return f"{self.rule} {self.case_id or self.officer_id}"


class Notification(models.Model):
    """One message in one person's in-app inbox; the delivery channels fan out from it."""

    recipient = models.ForeignKey(
        "accounts.User", verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40)
    # What the notice says, as data: the key of its wording (notifications.texts) and the wording's
    # fields, so each reader gets it in their own language (``wording``). Empty on rows written before.
    text_key = models.CharField(_("wording"), max_length=60, blank=True, db_default="")
    params = models.JSONField(_("parameters"), null=True, blank=True)
    # The same in the site's language, as written: old rows, the admin, search and raw readers use it.
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Set for notices that must exist once only (e.g. "event:123:45");
    # the unique index is what makes a second call a no-op.
    dedupe_key = models.CharField(_("dedupe key"), max_length=120, null=True, blank=True, unique=True)
    # The sweep claim that produced this notice (empty for event notices).
    claim = models.ForeignKey(
        SweepClaim,
        verbose_name=_("sweep claim"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
        db_index=False,  # served by notification_once_per_claim
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The inbox, newest first, and the unread count in every page header.
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"),
        ]
        constraints = [
            # One notice per person per sweep claim; also the index the sweep
            # uses to find the notices of its claims when it writes their deliveries.
            models.UniqueConstraint(fields=["claim", "recipient"], name="notification_once_per_claim"),
        ]

    def __str__(self) -> str:
        return self.title

    def wording(self) -> Text:
        """Title and body in the active language (the stored text when the notice cannot be worded again)."""
        return texts.reword(key=self.text_key, params=self.params, title=self.title, body=self.body)


class Delivery(models.Model):
    """The outbox: one notice to be sent through one channel.

    Written in the same transaction as the notice, so a notice created
    while Redis is down is still here when it returns; the periodic task
    sends whatever is pending. ``next_attempt_at`` carries both the retry
    backoff and the lease of a worker that is sending it now.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        Notification,
        verbose_name=_("notification"),
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,  # served by delivery_once_per_channel
    )
    channel = models.CharField(_("channel"), max_length=16)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel")]
        # The periodic pick-up: pending rows whose time has come, oldest first.
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="delivery_pending_due"),
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.channel}"


class WebhookEndpoint(models.Model):
    """A group-chat robot (DingTalk style) that receives the notices of one org unit's people."""

    org_unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("organisation unit"), on_delete=models.CASCADE, related_name="webhooks"
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("webhook robot")
        verbose_name_plural = _("webhook robots")
        ordering = ["org_unit_id", "id"]
        constraints = [
            # The channel posts to "the" robot of the recipient's unit.
            models.UniqueConstraint(
                fields=["org_unit"], condition=Q(is_active=True), name="webhookendpoint_one_active_per_unit"
            )
        ]

    def __str__(self) -> str:
        return self.name or str(self.org_unit)
