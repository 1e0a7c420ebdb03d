from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.choices import Difficulty, Level


class Category(models.Model):
    """Two-level category tree (基础设施 › 道路交通)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    default_difficulty = models.CharField(
        _("default difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.NORMAL
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class RoutingRule(models.Model):
    """Matches (category, difficulty, optional township) to a level and a responsible unit."""

    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="rules")
    difficulty = models.CharField(
        _("difficulty"),
        max_length=10,
        choices=Difficulty.choices,
        blank=True,
        help_text=_("Empty matches any difficulty."),
    )
    township = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Empty matches every township."),
    )
    level = models.CharField(
        _("level"), max_length=10, choices=[(Level.TOWNSHIP, Level.TOWNSHIP.label), (Level.CITY, Level.CITY.label)]
    )
    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="routing_rules"
    )
    auto_dispatch = models.BooleanField(_("dispatch automatically"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["category__code", "difficulty", "township_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "difficulty", "township", "level"],
                condition=Q(is_active=True),
                name="routingrule_one_active_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.unit}"
