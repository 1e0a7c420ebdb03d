from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One append-only row of the audit trail (QUALITY.md "Audit").

    Written by audit.services.audit_log only; never updated or deleted by
    the application.
    """

    at = models.DateTimeField(_("at"), default=timezone.now)
    # No database constraint and no cascade: deleting a user must not touch these rows (the
    # append-only trigger would refuse the SET NULL), so a row keeps the id and username it had.
    user = models.ForeignKey(
        "accounts.User",
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The username as typed, kept for failed logins and for users deleted later.
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=50)
    object_type = models.CharField(_("object type"), max_length=50, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, default="ok")
    ip = models.GenericIPAddressField(_("source address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            # Searching the trail: by time, by person, by object.
            models.Index(fields=["-at"], name="audit_at"),
            models.Index(fields=["user", "-at"], name="audit_user_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"
