"""The roles of DOMAIN.md. A user may hold several."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Stationed officer")
    TOWNSHIP_STAFF = "township_staff", _("Township staff")
    UNIT_HANDLER = "unit_handler", _("Unit handler")
    CITY_OFFICE = "city_office", _("City office")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")
