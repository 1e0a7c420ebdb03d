from django.db import models
from django.utils.translation import gettext_lazy as _


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    NORMAL = "normal", _("Normal")
    HARD = "hard", _("Hard")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


class Level(models.TextChoices):
    ONSITE = "onsite", _("On site")
    TOWNSHIP = "township", _("Township")
    CITY = "city", _("City")
