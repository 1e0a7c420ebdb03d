from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkdayOverride(models.Model):
    """A day the official calendar gets wrong or does not know yet.

    The library carries the State Council's holidays and make-up working
    days for the years it knows; a row here wins over it, so an admin can
    add next year's calendar the day it is published.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("e.g. 春节, 国庆节调休"))

    class Meta:
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class IdempotencyKey(models.Model):
    """A write that has been done once for (user, scope, key), with the answer it gave.

    The row is inserted in the same transaction as the write it guards, so a
    committed row always carries its answer; a second request with the same
    key waits on the unique index until the first commits or rolls back.
    Internal bookkeeping, never shown to users: no translated labels.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=100)
    # sha256 of the request as the caller sent it: same key, other body → 422.
    fingerprint = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # The guarantee itself: one write per (user, scope, key), whatever the concurrency.
            models.UniqueConstraint(fields=["user", "scope", "key"], name="idempotency_one_per_user_scope_key")
        ]
        # Purging old keys by age.
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"
