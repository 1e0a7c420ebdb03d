from django.db import models
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
