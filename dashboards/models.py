"""Stored results the dashboards read: daily roll-ups, hotspots and prepared exports.

The roll-up tables keep numerators and denominators, never rates, so any
period and any grouping is a SUM over days (METRICS.md's rates are derived
afterwards, in dashboards.metrics).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


def _ref(model: str, verbose_name: str) -> models.ForeignKey:
    # Stats rows point at org units and categories without a database
    # constraint: they are derived data, rebuilt from the cases at will, and
    # must never block an edit of the organisation tree.
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )


class RolledDay(models.Model):
    """A day whose figures are in the roll-up tables; other days are computed live."""

    day = models.DateField(_("day"), primary_key=True)
    rolled_at = models.DateTimeField(_("rolled up at"))
    # Whether CoverageDay holds this day too (days rolled before coverage existed do not).
    coverage = models.BooleanField(_("coverage rolled up"), default=False)

    class Meta:
        verbose_name = _("rolled-up day")
        verbose_name_plural = _("rolled-up days")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)


class RollupRun(models.Model):
    """One nightly run: its start is where the next run looks for changed cases."""

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    days = models.JSONField(_("days rolled up"), default=list, blank=True)

    class Meta:
        verbose_name = _("roll-up run")
        verbose_name_plural = _("roll-up runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class CaseGrain(models.TextChoices):
    """Which dimensions a CaseStatDay row keeps; the others are NULL.

    A query reads the coarsest grain that has the dimensions it filters and
    groups by, so a city-year overview sums a few thousand township rows.
    """

    TOWNSHIP = "t", _("township")
    UNIT = "u", _("township × unit")
    CATEGORY = "c", _("township × category")
    UNIT_CATEGORY = "uc", _("township × unit × category")


class DiaryGrain(models.TextChoices):
    TOWNSHIP = "t", _("township")
    OFFICER = "o", _("officer")


class CaseStatDay(models.Model):
    """Case figures of one day (Asia/Shanghai) for one combination of dimensions.

    Each counter is anchored on its own event: raised/closed on the day the
    case was raised, dispatch counters on the dispatch day, callbacks on the
    callback day, handling hours on the day the reply was approved.
    """

    day = models.DateField(_("day"))
    grain = models.CharField(_("grain"), max_length=2, choices=CaseGrain.choices)
    city = _ref("accounts.OrgUnit", _("city"))
    township = _ref("accounts.OrgUnit", _("township"))
    unit = _ref("accounts.OrgUnit", _("responsible unit"))
    category = _ref("cases.Category", _("category"))

    raised = models.PositiveIntegerField(default=0)
    solved_on_site = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)
    closed_with_feedback = models.PositiveIntegerField(default=0)
    dispatches = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)
    callbacks_reached = models.PositiveIntegerField(default=0)
    callbacks_solved = models.PositiveIntegerField(default=0)
    callbacks_answered = models.PositiveIntegerField(default=0)
    callbacks_satisfied = models.PositiveIntegerField(default=0)
    callbacks_self = models.PositiveIntegerField(default=0)
    replies_approved = models.PositiveIntegerField(default=0)
    handle_hours = models.FloatField(default=0.0)

    class Meta:
        verbose_name = _("daily case figures")
        verbose_name_plural = _("daily case figures")
        indexes = [
            # Whole-installation figures (admin) by period.
            models.Index(fields=["grain", "day"], name="casestat_grain_day"),
            # City overview and per-township tables by period.
            models.Index(fields=["grain", "city", "day"], name="casestat_grain_city_day"),
            # A township's own dashboard.
            models.Index(fields=["grain", "township", "day"], name="casestat_grain_township_day"),
            # One unit's figures: the unit filter and the monthly rankings.
            models.Index(fields=["grain", "unit", "day"], name="casestat_grain_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.grain}"


class DiaryStatDay(models.Model):
    """Diary figures of one day for a township, or for one officer there."""

    day = models.DateField(_("day"))
    grain = models.CharField(_("grain"), max_length=2, choices=DiaryGrain.choices)
    city = _ref("accounts.OrgUnit", _("city"))
    township = _ref("accounts.OrgUnit", _("township"))
    unit = _ref("accounts.OrgUnit", _("officer's unit"))
    officer = _ref(settings.AUTH_USER_MODEL, _("officer"))

    diaries = models.PositiveIntegerField(default=0)
    household_visits = models.PositiveIntegerField(default=0)
    enterprise_visits = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily diary figures")
        verbose_name_plural = _("daily diary figures")
        indexes = [
            models.Index(fields=["grain", "day"], name="diarystat_grain_day"),
            # The officer id rides along so "active officers in the period" (a DISTINCT)
            # is an index-only scan on PostgreSQL.
            models.Index(fields=["grain", "city", "day"], include=["officer"], name="diarystat_grain_city_day"),
            models.Index(fields=["grain", "township", "day"], include=["officer"], name="diarystat_grain_township_day"),
            models.Index(fields=["grain", "unit", "day"], name="diarystat_grain_unit_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.grain}"


class OfficerMonth(models.Model):
    """The days of one month on which an officer wrote diaries, as a bit set: "active officers" over a year.

    Bit d-1 of ``days`` is set when DiaryStatDay has an officer row for day
    d of ``month`` (rolled-up days only), so a DISTINCT over a year reads
    about twelve rows per officer instead of one per active day, and a
    period that starts or ends inside a month is still exact (mask the
    bits). Rebuilt from DiaryStatDay a month at a time by the roll-up.
    """

    month = models.DateField(_("month"))
    city = _ref("accounts.OrgUnit", _("city"))
    township = _ref("accounts.OrgUnit", _("township"))
    unit = _ref("accounts.OrgUnit", _("officer's unit"))
    officer = _ref(settings.AUTH_USER_MODEL, _("officer"))
    days = models.IntegerField(_("active days (bits)"))

    class Meta:
        verbose_name = _("officer's active days of a month")
        verbose_name_plural = _("officers' active days of a month")
        indexes = [
            # Active officers of a city or a township over a period: index-only scans.
            models.Index(fields=["city", "month"], include=["officer", "days"], name="officermonth_city_month"),
            models.Index(fields=["township", "month"], include=["officer", "days"], name="officermonth_township_month"),
            # Whole installation and unit-scoped callers; the month rebuild deletes by month.
            models.Index(fields=["month"], name="officermonth_month"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.officer_id}"


class HotspotKind(models.TextChoices):
    # METRICS.md: a cluster surging over its own baseline is a hotspot; one as frequent as usual is 常态.
    HOTSPOT = "hotspot", _("hotspot")
    STEADY = "steady", _("recurring issue")


class Hotspot(models.Model):
    """大数据比对: alike cases of one category raised in at least two townships (a surge, or a 常态问题)."""

    city = models.ForeignKey("accounts.OrgUnit", verbose_name=_("city"), on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        "cases.Category", verbose_name=_("category"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=HotspotKind.choices, default=HotspotKind.HOTSPOT)
    townships = models.PositiveIntegerField(_("townships"))
    residents = models.PositiveIntegerField(_("residents"))
    cases_count = models.PositiveIntegerField(_("cases"))
    # Alike cases per window length over the 12 months before the window, and cases_count over it
    # (a baseline of 0 counts as one case in that year, so a surge from nothing still has a finite ratio).
    baseline = models.FloatField(_("baseline"), default=0.0)
    surge_ratio = models.FloatField(_("surge ratio"), default=0.0)
    score = models.FloatField(_("similarity"))
    detected_at = models.DateTimeField(_("detected at"))
    # The run that first found this cluster (carried over while it keeps any of its cases): new when equal.
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    project = models.ForeignKey(
        "cases.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cases = models.ManyToManyField("cases.Case", through="HotspotCase", related_name="+")

    class Meta:
        verbose_name = _("hotspot")
        verbose_name_plural = _("hotspots")
        # METRICS.md: ranked by surge ratio, then townships, then residents touched.
        ordering = ["-surge_ratio", "-townships", "-residents", "-cases_count", "id"]
        indexes = [models.Index(fields=["city", "-townships"], name="hotspot_city_townships")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_new(self) -> bool:
        """First found by the run that found it now (a project keeps its old detection, so it is never new)."""
        return self.first_seen is not None and self.first_seen >= self.detected_at


class HotspotCase(models.Model):
    hotspot = models.ForeignKey(Hotspot, on_delete=models.CASCADE, related_name="members")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField(_("similarity"))

    class Meta:
        verbose_name = _("hotspot case")
        verbose_name_plural = _("hotspot cases")
        ordering = ["-similarity", "case_id"]
        constraints = [models.UniqueConstraint(fields=["hotspot", "case"], name="hotspotcase_unique")]

    def __str__(self) -> str:
        return f"{self.hotspot_id} {self.case_id}"


class DetectionRun(models.Model):
    """One hotspot detection of a city: when it ran and what it found (the page says when it last ran)."""

    city = models.ForeignKey("accounts.OrgUnit", verbose_name=_("city"), on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    hotspots = models.PositiveIntegerField(_("hotspots"), default=0)
    steady = models.PositiveIntegerField(_("recurring issues"), default=0)
    new = models.PositiveIntegerField(_("new hotspots"), default=0)

    class Meta:
        verbose_name = _("hotspot detection run")
        verbose_name_plural = _("hotspot detection runs")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["city", "-started_at"], name="detectionrun_city_started")]

    def __str__(self) -> str:
        return f"{self.city_id} {self.started_at:%Y-%m-%d %H:%M}"


class Export(models.Model):
    """A spreadsheet prepared in the worker because it was too large to build in a request."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="exports"
    )
    kind = models.CharField(_("kind"), max_length=20)
    params = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]
        # "My exports", newest first.
        indexes = [models.Index(fields=["owner", "-created_at"], name="export_owner_created")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


class TownshipBoundary(models.Model):
    """一张图: a township's outline (a GeoJSON Polygon or MultiPolygon, lon/lat), uploaded by an admin."""

    township = models.OneToOneField(
        "accounts.OrgUnit", verbose_name=_("township"), on_delete=models.CASCADE, related_name="boundary"
    )
    # The geometry alone (a Feature's properties are not kept): {"type": "Polygon", "coordinates": [...]}.
    geojson = models.JSONField(_("outline (GeoJSON)"))
    # Where a township's pin (hotspots) goes; computed on save from the outline.
    centre_lat = models.FloatField(_("centre latitude"), editable=False, default=0.0)
    centre_lon = models.FloatField(_("centre longitude"), editable=False, default=0.0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User", verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("township boundary")
        verbose_name_plural = _("township boundaries")

    def __str__(self) -> str:
        return str(self.township_id)

    def save(self, *args, **kwargs):
        from dashboards.geo import centre_of

        self.centre_lon, self.centre_lat = centre_of(self.geojson)
        super().save(*args, **kwargs)


class MonthlyReportSnapshot(models.Model):
    """A month's report frozen once the month is over, so it reads the same whenever it is opened again.

    Keyed by the area it covers (a city or a township) and the month; ``data`` holds everything the
    report shows (figures as of the first instant after the month, tables, hotspots, awards and the
    facts the narrative is written from) as plain JSON.
    """

    area = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("city or township"), on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField(_("month"))
    data = models.JSONField(_("report"), encoder=DjangoJSONEncoder)
    generated_at = models.DateTimeField(_("generated at"))
    # Set when someone replaced the frozen report (e.g. after a late correction).
    recomputed_at = models.DateTimeField(_("recomputed at"), null=True, blank=True)
    recomputed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recomputed by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("monthly report snapshot")
        verbose_name_plural = _("monthly report snapshots")
        ordering = ["-month", "area_id"]
        constraints = [models.UniqueConstraint(fields=["area", "month"], name="reportsnapshot_area_month")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.month:%Y-%m}"


class CoverageDay(models.Model):
    """The ledger's coverage at the end of a day, per station (households.coverage.counts).

    Distinct counts do not add up across days, so each row is a snapshot: the state on ``day``,
    and the records visited since the start of the day's year and of its month. A year-to-date or
    month-to-date figure ending on a rolled day is the sum of that day's rows over the stations.
    """

    day = models.DateField(_("day"))
    station = models.ForeignKey("accounts.OrgUnit", on_delete=models.CASCADE, related_name="+", db_index=False)
    township = models.ForeignKey("accounts.OrgUnit", on_delete=models.CASCADE, related_name="+", db_index=False)
    city = models.ForeignKey("accounts.OrgUnit", on_delete=models.CASCADE, related_name="+", db_index=False)
    households = models.PositiveIntegerField(default=0)
    key_households = models.PositiveIntegerField(default=0)
    key_on_time = models.PositiveIntegerField(default=0)
    visited_year = models.PositiveIntegerField(default=0)
    visited_month = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("coverage of a day")
        verbose_name_plural = _("coverage of days")
        constraints = [models.UniqueConstraint(fields=["day", "station"], name="coverage_day_station")]
        indexes = [
            models.Index(fields=["day", "city"], name="coverage_day_city"),
            models.Index(fields=["day", "township"], name="coverage_day_township"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.station_id}"
