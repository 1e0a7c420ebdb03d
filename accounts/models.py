from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

from accounts.roles import Role
from core.validators import validate_phone


class OrgKind(models.TextChoices):
    CITY = "city", _("City")
    TOWNSHIP = "township", _("Township / street")
    PARK = "park", _("Park")
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")
    ENTERPRISE = "enterprise", _("Enterprise")
    DEPARTMENT = "department", _("City department")
    TOWNSHIP_OFFICE = "township_office", _("Township office")
    OTHER = "other", _("Other")


# Parks run the township loop exactly like townships do.
TOWNSHIP_KINDS = frozenset({OrgKind.TOWNSHIP, OrgKind.PARK})
STATION_KINDS = frozenset({OrgKind.VILLAGE, OrgKind.COMMUNITY, OrgKind.ENTERPRISE})
# Units that can be given a case to handle.
RESPONSIBLE_KINDS = frozenset({OrgKind.DEPARTMENT, OrgKind.TOWNSHIP_OFFICE, OrgKind.OTHER, *TOWNSHIP_KINDS})


class OrgUnit(models.Model):
    """A node of the one organisation tree: city, township, village, department …

    ``city`` and ``township`` are the unit's ancestors of those kinds (itself
    when it is one), kept by accounts.services so that "everything in this
    township" is one indexed filter instead of a walk up the tree.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # What people see: the name, or 「parent · name」 where several units share the name
    # (nine townships each have a 综合治理办公室). Kept by accounts.services.org_units_relabel.
    label = models.CharField(_("display name"), max_length=210, blank=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    city = models.ForeignKey(
        "self",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    township = models.ForeignKey(
        "self",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    co_building = models.ManyToManyField(
        "self",
        verbose_name=_("co-building units"),
        through="CoBuildingLink",
        through_fields=("village", "partner"),
        symmetrical=False,
        related_name="co_built",
        blank=True,
    )

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["sort_order", "code"]
        indexes = [
            # Scope filters: "units of this township / city of this kind".
            models.Index(fields=["township", "kind"], name="orgunit_township_kind"),
            models.Index(fields=["city", "kind"], name="orgunit_city_kind"),
        ]

    def __str__(self) -> str:
        # An unsaved unit has no label yet.
        return self.label or self.name

    @property
    def is_township(self) -> bool:
        return self.kind in TOWNSHIP_KINDS


# 为基层减负 (DOMAIN.md): the silence reminder is a kindness a county can switch off. A city without
# CitySettings keeps this default; the sweep and the officers page both read it from here.
SILENCE_REMINDER_DAYS = 14


class CitySettings(models.Model):
    """What one county (a CITY unit) has chosen for itself; a city without a row has the defaults."""

    city = models.OneToOneField(
        OrgUnit,
        verbose_name=_("city"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="city_settings",
        limit_choices_to={"kind": OrgKind.CITY},
    )
    silence_reminder_days = models.PositiveSmallIntegerField(
        _("silence reminder after (days)"),
        null=True,
        blank=True,
        default=SILENCE_REMINDER_DAYS,
        help_text=_(
            "An officer who has written no diary for this many days, and their township staff, are told. "
            "Leave empty or enter 0 to switch the reminder off."
        ),
    )

    ledger_retention_years = models.PositiveSmallIntegerField(
        _("keep personal data of inactive household records (years)"),
        default=3,
        help_text=_(
            "A household or enterprise record that has moved away or closed keeps its name, address and phone "
            "this long; then they are cleared and its history stays anonymous."
        ),
    )

    class Meta:
        verbose_name = _("county settings")
        verbose_name_plural = _("county settings")

    def __str__(self) -> str:
        return str(self.city)


class CoBuildingLink(models.Model):
    """A partner organisation (bank, SOE, department) that helps a village or community."""

    village = models.ForeignKey(
        OrgUnit, verbose_name=_("village / community"), on_delete=models.CASCADE, related_name="partner_links"
    )
    partner = models.ForeignKey(
        OrgUnit, verbose_name=_("co-building unit"), on_delete=models.CASCADE, related_name="village_links"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("co-building link")
        verbose_name_plural = _("co-building links")
        constraints = [models.UniqueConstraint(fields=["village", "partner"], name="cobuilding_unique_pair")]

    def __str__(self) -> str:
        return f"{self.village} ⇄ {self.partner}"


class User(AbstractUser):
    name = models.CharField(_("real name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Asks for a new password at the next page the user opens."),
    )
    # The age of the password decides its expiry (settings.PASSWORD_EXPIRY_DAYS). Rows that existed
    # before the field got the migration's time, so nobody's password expired on the day of the upgrade.
    password_changed_at = models.DateTimeField(_("password changed at"), default=timezone.now, editable=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def role_names(self) -> frozenset[str]:
        """The user's roles, read once per request (the object lives for one request)."""
        cached = getattr(self, "_role_names", None)
        if cached is None:
            if self.pk is None:
                cached = frozenset()
            elif hasattr(self, "_prefetched_objects_cache") and "roles" in self._prefetched_objects_cache:
                cached = frozenset(r.role for r in self.roles.all())
            else:
                cached = frozenset(self.roles.values_list("role", flat=True))
            self._role_names = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    def set_password(self, raw_password):
        # Every door that sets a password (change form, admin, importer, createsuperuser) comes through
        # here, so the expiry clock restarts wherever the password was set.
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class UserRole(models.Model):
    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="userrole_unique")]
        # "Every officer" / "every city office user" for notices and counts.
        indexes = [models.Index(fields=["role", "user"], name="userrole_role_user")]

    def __str__(self) -> str:
        return self.get_role_display()


class StationKind(models.TextChoices):
    VILLAGE = "village", _("Village (驻村)")
    COMMUNITY = "community", _("Community (驻社)")
    ENTERPRISE = "enterprise", _("Enterprise (驻企)")


class StationAssignment(models.Model):
    """An officer stationed at a village, community or enterprise."""

    officer = models.ForeignKey(User, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="assignments")
    station = models.ForeignKey(
        OrgUnit, verbose_name=_("station"), on_delete=models.PROTECT, related_name="assignments"
    )
    # Derived from the station's kind by accounts.services; stored because the
    # dashboards count officers per kind (驻村/驻社/驻企).
    kind = models.CharField(_("kind"), max_length=20, choices=StationKind.choices, editable=False)
    dispatching_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("dispatching unit"),
        on_delete=models.PROTECT,
        related_name="dispatched_assignments",
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("station assignment")
        verbose_name_plural = _("station assignments")
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="assignment_end_after_start"
            ),
            # The service refuses overlapping periods with a message; this
            # backs it for the common case of two open-ended ones.
            models.UniqueConstraint(
                fields=["officer", "station"], condition=Q(end__isnull=True), name="assignment_one_open_per_station"
            ),
        ]
        indexes = [
            # "This officer's active stations" on every diary form.
            models.Index(fields=["officer", "end"], name="assignment_officer_end"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} @ {self.station}"

    def is_active_on(self, day) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


class LoginLock(models.Model):
    """Sign-in attempts and lock of one username (accounts.lockout)."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    first_failure_at = models.DateTimeField(_("first failure at"), null=True, blank=True)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("login lock")
        verbose_name_plural = _("login locks")

    def __str__(self) -> str:
        return self.username


class ApiToken(AbstractAuthToken):
    """One device's API token (django-rest-knox): only a SHA-512 digest of the key is stored.

    Knox's own model keys rows by the digest; ours has a plain id instead, so the
    owner's list, the revoke route and the admin's URLs never carry it.
    """

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    device = models.CharField(_("device"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.token_key[:8]}… ({self.user})"


class AddressLock(models.Model):
    """Failed sign-ins from one source address and its block (accounts.lockout), whatever the usernames."""

    address = models.GenericIPAddressField(_("address"), unique=True)
    failures = models.PositiveIntegerField(_("failures"), default=0)
    first_failure_at = models.DateTimeField(_("first failure at"), null=True, blank=True)
    locked_until = models.DateTimeField(_("blocked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("address lock")
        verbose_name_plural = _("address locks")

    def __str__(self) -> str:
        return self.address


class PasswordHistory(models.Model):
    """A hash of a password a user had, so the last few cannot be chosen again (accounts.passwords)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+")
    password = models.CharField(_("password"), max_length=128)
    created = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("previous password")
        verbose_name_plural = _("previous passwords")
        # "This user's last N passwords" at every password change.
        indexes = [models.Index(fields=["user", "-created"], name="passwordhistory_user_created")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created:%Y-%m-%d}"


class ExternalIdentity(models.Model):
    """A person's account at a single sign-on provider, linked by an admin to their Minqing user.

    Sign-in through a provider matches on (provider, subject) only: nobody is created or linked by
    signing in (accounts.sso).
    """

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="external_identities")
    provider = models.CharField(_("provider"), max_length=30, choices=[("oidc", "OIDC"), ("dingtalk", _("DingTalk"))])
    subject = models.CharField(
        _("subject"), max_length=255, help_text=_("The provider's stable user id (DingTalk: the unionId).")
    )
    # DingTalk addresses work notices to the userid inside the organisation, which differs from the unionId.
    platform_user_id = models.CharField(
        _("platform user id"), max_length=100, blank=True, help_text=_("DingTalk: the userid in the organisation.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="external_identity_unique")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.subject}"
