from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    Action,
    CallbackChannel,
    Clock,
    Difficulty,
    FeedbackChannel,
    Level,
    Outcome,
    ProjectStatus,
    Satisfaction,
    Source,
    Status,
    Urgency,
)


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


class Project(models.Model):
    """民生项目: several alike cases, often from several townships, handled as one piece of work.

    ``progress`` keeps the latest progress note (what the list and the API
    show at a glance); the full history is ``updates`` (ProjectUpdate), each
    with its percentage. ``is_late`` is set by the sweep when a milestone
    passed its date undone and cleared when the late ones are completed.
    """

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    city = models.ForeignKey("accounts.OrgUnit", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+")
    lead_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assisting_units = models.ManyToManyField(
        "accounts.OrgUnit", verbose_name=_("assisting units"), blank=True, related_name="+"
    )
    progress = models.TextField(_("progress"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED)
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # 万元, two places.
    budget = models.DecimalField(_("budget (10k yuan)"), max_digits=12, decimal_places=2, default=0)
    spent = models.DecimalField(_("spent (10k yuan)"), max_digits=12, decimal_places=2, default=0)
    is_late = models.BooleanField(_("late"), default=False)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(progress_percent__lte=100), name="project_percent_le_100"),
            models.CheckConstraint(condition=Q(budget__gte=0) & Q(spent__gte=0), name="project_money_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == ProjectStatus.DONE

    @property
    def remaining(self):
        return self.budget - self.spent

    @property
    def overspent(self) -> bool:
        return self.spent > self.budget


class ProjectMilestone(models.Model):
    """One step of a project with its planned date; ``late_noticed_on`` marks the sweep told of it once."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    planned_on = models.DateField(_("planned on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    late_noticed_on = models.DateField(_("lateness noticed on"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["order", "planned_on", "id"]
        indexes = [models.Index(fields=["planned_on"], condition=Q(done_on__isnull=True), name="milestone_open")]

    def __str__(self) -> str:
        return self.title

    def is_late_on(self, today) -> bool:
        return self.done_on is None and self.planned_on < today


class ProjectUpdate(models.Model):
    """A progress note with the percentage it reported: the project page's history."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("text"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    by = models.ForeignKey("accounts.User", verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))
    drafted_cases = models.PositiveIntegerField(_("feedback drafts written"), default=0)

    class Meta:
        verbose_name = _("project update")
        verbose_name_plural = _("project updates")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return self.text[:50]


class Case(models.Model):
    """One problem raised by residents: the unit of work, deadlines and metrics.

    Only cases.services changes ``status``; each change writes a CaseEvent in
    the same transaction. ``clock`` and ``due_at`` mirror the deadline that
    runs now, so the sweep reads one indexed column whatever the status.
    """

    code = models.CharField(_("code"), max_length=32, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="cases")
    difficulty = models.CharField(_("difficulty"), max_length=10, choices=Difficulty.choices, default=Difficulty.NORMAL)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.DIARY)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)

    city = models.ForeignKey("accounts.OrgUnit", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    station = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("station"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        "accounts.User",
        verbose_name=_("raising officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="raised_cases",
    )
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    diary = models.ForeignKey(
        "diaries.DiaryEntry",
        verbose_name=_("diary entry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )

    # Personal information of the resident (PIPL): masked for most roles.
    reporter_name = models.CharField(_("resident's name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("resident's phone"), max_length=20, blank=True)
    reporter_address = models.CharField(_("resident's address"), max_length=200, blank=True)
    # 保密: the resident asked that the responsible unit not see their name and phone (RESIDENTS.md).
    confidential = models.BooleanField(_("confidential reporter"), default=False)
    # 无效 (spam, test, duplicate): closed by the desk with a reason; left out of every figure, kept for audit.
    invalid = models.BooleanField(_("invalid"), default=False)
    # The household or enterprise record the case came from (HOUSEHOLDS.md), when it is known.
    household = models.ForeignKey(
        "households.Household", verbose_name=_("household record"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="cases",
    )  # fmt: skip

    unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="current_cases",
    )
    assisting_units = models.ManyToManyField(
        "accounts.OrgUnit", verbose_name=_("assisting units"), blank=True, related_name="assisted_cases"
    )

    clock = models.CharField(_("running clock"), max_length=10, choices=Clock.choices, blank=True)
    due_at = models.DateTimeField(_("running deadline"), null=True, blank=True)
    dispatch_due = models.DateTimeField(_("dispatch due"), null=True, blank=True)
    sign_due = models.DateTimeField(_("sign-for due"), null=True, blank=True)
    handle_due = models.DateTimeField(_("handle due"), null=True, blank=True)
    review_due = models.DateTimeField(_("review due"), null=True, blank=True)
    feedback_due = models.DateTimeField(_("feedback due"), null=True, blank=True)
    callback_due = models.DateTimeField(_("callback due"), null=True, blank=True)

    overdue = models.BooleanField(_("overdue"), default=False)
    supervised = models.BooleanField(_("supervised"), default=False)
    # 挂账: set while an approved hold is in force; its clocks stop (cases.services.holds).
    held_since = models.DateTimeField(_("held since"), null=True, blank=True)
    project = models.ForeignKey(
        Project, verbose_name=_("project"), null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    # A project's progress sent to the case: prefills its feedback form; never feeds back by itself.
    feedback_draft = models.TextField(_("feedback draft"), blank=True, db_default="")

    created_at = models.DateTimeField(_("raised at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Township desk queues: status tab within a township, newest first.
            models.Index(fields=["township", "status", "-created_at"], name="case_township_status_created"),
            # City office queues and city-wide dashboards.
            models.Index(fields=["city", "status", "-created_at"], name="case_city_status_created"),
            # A unit's queue: cases currently with it.
            models.Index(fields=["unit", "status"], name="case_unit_status"),
            # A unit handler's default list (cases.queues: to sign for, in progress): the unit's open cases of
            # one status in deadline order, read in index order up to the page instead of sorted.
            models.Index(
                fields=["unit", "status", "due_at", "id"], condition=~Q(status="closed"), name="case_unit_open_due"
            ),
            # The officer's own cases.
            models.Index(fields=["officer", "-created_at"], name="case_officer_created"),
            # The sweep: running deadlines of open cases only.
            models.Index(fields=["due_at"], condition=~Q(status="closed"), name="case_open_due"),
            # The sweep's automatic supervision: handle deadlines of open cases not supervised yet.
            models.Index(
                fields=["handle_due"],
                condition=~Q(status="closed") & Q(supervised=False),
                name="case_open_unsupervised_handle",
            ),
            # Metrics by period: raised in [from, to].
            models.Index(fields=["created_at"], name="case_created"),
        ]

    def __str__(self) -> str:
        return f"{self.code or self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED


class CaseEvent(models.Model):
    """The append-only timeline: who did what, when, from which status to which."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    actor = models.ForeignKey(
        "accounts.User", verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, blank=True)
    unit = models.ForeignKey(
        "accounts.OrgUnit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["created_at", "id"]
        # The timeline of one case, oldest first.
        indexes = [models.Index(fields=["case", "created_at"], name="caseevent_case_created")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class Dispatch(models.Model):
    """One hand-over of a case to a responsible unit, with the facts the metrics need.

    响应率, 退单率, 按时办结率 and 平均办理时长 are all read from these rows.
    """

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="dispatches")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="dispatches",
        db_index=False,  # the indexes below lead with it
    )
    dispatched_by = models.ForeignKey(
        "accounts.User", verbose_name=_("dispatched by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    dispatched_at = models.DateTimeField(_("dispatched at"))
    sign_due = models.DateTimeField(_("sign-for due"))
    handle_due = models.DateTimeField(_("handle due"))
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("reply approved at"), null=True, blank=True)
    # Working hours from dispatch to the accepted reply, fixed when the desk approves it, so the
    # dashboards sum it in SQL instead of walking the holiday calendar for every approval they count.
    handle_hours = models.FloatField(_("working hours to reply"), null=True, blank=True, editable=False)
    result = models.TextField(_("result"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    extension_days = models.PositiveIntegerField(_("extension days"), default=0)
    # Set when the case left this unit without a return: escalated to the city
    # from in_progress. Returned dispatches carry returned_at instead.
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["dispatched_at", "id"]
        indexes = [
            # Rankings and unit metrics: a unit's dispatches in a month.
            models.Index(fields=["unit", "dispatched_at"], name="dispatch_unit_at"),
            # A unit's scope (every case ever dispatched to it) read from the index alone: the case list's
            # "all" count for the busiest unit of a province walks 5,000 of these.
            models.Index(fields=["unit", "case"], name="dispatch_unit_case"),
            models.Index(fields=["dispatched_at"], name="dispatch_at"),
            # 退单不当 in the scores: the returns of a month (few rows among all dispatches).
            models.Index(
                fields=["returned_at"], name="dispatch_returned_at", condition=models.Q(returned_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.unit_id}"


class AskedAndDecided(models.Model):
    """Something one person asks of another, who decides it: an extension, a hold, an unreasonable-request
    claim. Each keeps its own ``decision`` choices; who asked, when, who decided, when and why are these."""

    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("decision note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["requested_at", "id"]

    def decide(self, decision: str, *, by, now, note: str) -> None:
        self.decision, self.decided_by, self.decided_at, self.note = decision, by, now, note
        self.save(update_fields=["decision", "decided_by", "decided_at", "note"])


class Extension(AskedAndDecided):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DENIED = "denied", _("Denied")
        # The case left the unit (reply, return, escalation) before a decision.
        WITHDRAWN = "withdrawn", _("Withdrawn")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="extensions")
    dispatch = models.ForeignKey(
        Dispatch, verbose_name=_("dispatch"), on_delete=models.CASCADE, related_name="extensions"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    days = models.PositiveIntegerField(_("working days"))
    reason = models.TextField(_("reason"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)

    class Meta(AskedAndDecided.Meta):
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            # At most one request waiting for a decision per case.
            models.UniqueConstraint(fields=["case"], condition=Q(decision="pending"), name="extension_one_pending")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.days}"


class Hold(AskedAndDecided):
    """挂账: work waiting on a plan or budget, its clocks stopped with the city office's approval
    until released by hand or by the sweep on the review date (OVERSIGHT.md)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    class ReleasedHow(models.TextChoices):
        BY_HAND = "by_hand", _("By hand")
        REVIEW_DATE = "review_date", _("On the review date")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="holds")
    reason = models.TextField(_("reason"))
    review_on = models.DateField(_("review date"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    # Null with released_at set: the sweep released it on the review date.
    released_by = models.ForeignKey(
        "accounts.User", verbose_name=_("released by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    released_how = models.CharField(_("released"), max_length=12, choices=ReleasedHow.choices, blank=True)

    class Meta(AskedAndDecided.Meta):
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        constraints = [
            # At most one hold waiting for a decision or in force per case.
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(decision="pending") | Q(decision="approved", released_at__isnull=True),
                name="hold_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.review_on}"


class Unreasonable(AskedAndDecided):
    """不合理诉求: a desk says the resident's request is unreasonable, the city office decides. An approved
    claim takes the case out of its unit's score (``cases.selectors.unreasonable_approved``); the case
    stays in the volumes and in its status (OVERSIGHT.md "Scores")."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="unreasonable_claims")
    reason = models.TextField(_("reason"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)

    class Meta(AskedAndDecided.Meta):
        verbose_name = _("unreasonable request claim")
        verbose_name_plural = _("unreasonable request claims")
        constraints = [
            # At most one claim waiting for the city office or approved per case: a refused one may be asked again.
            models.UniqueConstraint(
                fields=["case"], condition=Q(decision__in=["pending", "approved"]), name="unreasonable_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.decision}"


class Feedback(models.Model):
    """反馈: what the resident was told. No case closes without one (反映必反馈)."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="feedbacks")
    channel = models.CharField(_("channel"), max_length=10, choices=FeedbackChannel.choices)
    content = models.TextField(_("what the resident was told"))
    resident_response = models.TextField(_("the resident's words"), blank=True)
    given_by = models.ForeignKey(
        "accounts.User", verbose_name=_("given by"), on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["given_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_channel_display()}"


class Callback(models.Model):
    """回访: one attempt to ask the resident afterwards. Unreached attempts are evidence."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="callbacks")
    reached = models.BooleanField(_("reached"))
    solved = models.BooleanField(_("solved"), null=True, blank=True)
    satisfaction = models.CharField(_("satisfaction"), max_length=20, choices=Satisfaction.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    closes = models.BooleanField(_("closed the case"), default=False)
    channel = models.CharField(_("channel"), max_length=10, choices=CallbackChannel.choices, default="desk")
    # Empty when the resident rated the case themselves (channel "self").
    by = models.ForeignKey(
        "accounts.User", verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["at", "id"]
        # 解决率 / 满意率 by period.
        indexes = [models.Index(fields=["at"], name="callback_at")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.at:%Y-%m-%d}"


class DeadlinePolicy(models.Model):
    """Admin override of one default of LIFECYCLE.md's deadline table."""

    class Unit(models.TextChoices):
        WORKING_DAYS = "working_days", _("working days")
        WORKING_HOURS = "working_hours", _("working hours")
        HOURS = "hours", _("hours")
        MINUTES = "minutes", _("minutes")

    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices)
    clock = models.CharField(_("clock"), max_length=10, choices=Clock.choices)
    amount = models.PositiveIntegerField(_("amount"))
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)

    class Meta:
        verbose_name = _("deadline policy")
        verbose_name_plural = _("deadline policies")
        ordering = ["level", "urgency", "clock"]
        constraints = [models.UniqueConstraint(fields=["level", "urgency", "clock"], name="deadlinepolicy_unique")]

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.get_urgency_display()} · {self.get_clock_display()}: {self.amount} {self.get_unit_display()}"


class Instruction(models.Model):
    """批示: a leader's written instruction on a case or a project, and how the desk carried it out."""

    MAX_LENGTH = 2000

    case = models.ForeignKey(
        Case, verbose_name=_("case"), null=True, blank=True, on_delete=models.CASCADE, related_name="instructions"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="instructions",
    )  # fmt: skip
    author = models.ForeignKey("accounts.User", verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    content = models.TextField(_("instruction"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    carried_out = models.TextField(_("how it was carried out"), blank=True)
    carried_out_by = models.ForeignKey(
        "accounts.User", verbose_name=_("carried out by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    carried_out_at = models.DateTimeField(_("carried out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("instruction")
        verbose_name_plural = _("instructions")
        ordering = ["created_at", "id"]
        constraints = [
            # On a case or on a project, never both, never neither.
            models.CheckConstraint(
                condition=Q(case__isnull=False, project__isnull=True) | Q(case__isnull=True, project__isnull=False),
                name="instruction_case_xor_project",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id or self.project_id}: {self.content[:30]}"
