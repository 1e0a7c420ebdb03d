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


class Status(models.TextChoices):
    PENDING_DISPATCH = "pending_dispatch", _("Pending dispatch")
    PENDING_SIGN = "pending_sign", _("Pending sign-for")
    IN_PROGRESS = "in_progress", _("In progress")
    PENDING_REVIEW = "pending_review", _("Pending review")
    PENDING_FEEDBACK = "pending_feedback", _("Pending feedback")
    PENDING_CALLBACK = "pending_callback", _("Pending callback")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = frozenset(set(Status.values) - {Status.CLOSED})


class Clock(models.TextChoices):
    """The deadline that runs while a case waits in a status (LIFECYCLE.md)."""

    DISPATCH = "dispatch", _("Dispatch")
    SIGN = "sign", _("Sign-for")
    HANDLE = "handle", _("Handle")
    REVIEW = "review", _("Review")
    FEEDBACK = "feedback", _("Feedback")
    CALLBACK = "callback", _("Callback")


CLOCK_OF_STATUS = {
    Status.PENDING_DISPATCH: Clock.DISPATCH,
    Status.PENDING_SIGN: Clock.SIGN,
    Status.IN_PROGRESS: Clock.HANDLE,
    Status.PENDING_REVIEW: Clock.REVIEW,
    Status.PENDING_FEEDBACK: Clock.FEEDBACK,
    Status.PENDING_CALLBACK: Clock.CALLBACK,
}


class Source(models.TextChoices):
    DIARY = "diary", _("Diary")
    MAYOR_HOTLINE = "mayor_hotline", _("Mayor's direct line (市长直通车)")
    MONTHLY_MEETING = "monthly_meeting", _("Monthly consultation (民情月商会)")
    PETITION = "petition", _("Letters and visits (信访)")
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    OTHER = "other", _("Other")
    # Orders received through integrations (inbound/orders).
    HOTLINE_12345 = "hotline_12345", _("12345 hotline (12345热线)")
    FOUR_PLATFORMS = "four_platforms", _("Grassroots governance platforms (基层治理四平台)")
    # Raised by residents themselves through the station's 民情码 (RESIDENTS.md).
    RESIDENT = "resident", _("Resident (民情码)")


class Outcome(models.TextChoices):
    SOLVED = "solved", _("Solved")
    PARTLY_SOLVED = "partly_solved", _("Partly solved")
    CANNOT_SOLVE = "cannot_solve", _("Cannot be solved")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class FeedbackChannel(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat")
    OTHER = "other", _("Other")


class CallbackChannel(models.TextChoices):
    """Who gave a callback's answer: the desk asking the resident, or the resident on the tracking page."""

    DESK = "desk", _("Desk callback")
    SELF = "self", _("Rated by the resident")


class Action(models.TextChoices):
    """Timeline event kinds: one per service of cases.services."""

    RAISE = "raise", _("Raised")
    DISPATCH = "dispatch", _("Dispatched")
    ESCALATE = "escalate", _("Escalated")
    SIGN = "sign", _("Signed for")
    RETURN = "return", _("Returned")
    EXTENSION_REQUEST = "extension_request", _("Extension requested")
    EXTENSION_DECISION = "extension_decision", _("Extension decided")
    REPLY = "reply", _("Replied")
    REVIEW_APPROVE = "review_approve", _("Reply approved")
    REVIEW_REJECT = "review_reject", _("Reply rejected")
    FEEDBACK = "feedback", _("Feedback given")
    CALLBACK_ATTEMPT = "callback_attempt", _("Callback attempt")
    CALLBACK = "callback", _("Called back")
    REDO = "redo", _("Reopened for redo")
    SUPERVISE = "supervise", _("Supervised")
    LINK_PROJECT = "link_project", _("Linked to project")
    OVERDUE = "overdue", _("Overdue")
    HANDOVER = "handover", _("Handed over to another officer")
    INSTRUCTION = "instruction", _("Leader's instruction")
    INSTRUCTION_REPORT = "instruction_report", _("Instruction carried out")
    HOLD_REQUEST = "hold_request", _("Hold requested")
    HOLD_DECISION = "hold_decision", _("Hold decided")
    RELEASE = "release", _("Hold released")
    # 督办单 (oversight app): the order's number and level are in the event's data.
    ORDER_ISSUED = "order_issued", _("Supervision order issued")
    ORDER_SIGNED = "order_signed", _("Supervision order signed for")
    ORDER_REPLIED = "order_replied", _("Supervision order answered")
    # 不合理诉求: the desk asks, the city office decides (cases.services.unreasonable).
    UNREASONABLE_REQUEST = "unreasonable_request", _("Marked unreasonable")
    UNREASONABLE_DECISION = "unreasonable_decision", _("Unreasonable request decided")
    # 申诉 (oversight.appeals): a unit appeals a case's effect on its month's score; the city office decides.
    APPEAL_FILED = "appeal_filed", _("Score appeal filed")
    APPEAL_DECIDED = "appeal_decided", _("Score appeal decided")
    # 民生项目: a progress update was stored on the case as a feedback draft (cases.services.project_progress).
    PROJECT_UPDATE_DRAFTED = "project_drafted", _("Project progress drafted as feedback")
    # 无效 (LIFECYCLE.md "mark unreasonable / invalid"): spam, a test, a duplicate; closed and out of every figure.
    INVALID = "invalid", _("Marked invalid")


# The 督办单 events: written by the oversight app, not by a case action.
ORDER_EVENTS = frozenset({Action.ORDER_ISSUED, Action.ORDER_SIGNED, Action.ORDER_REPLIED})
# The 申诉 events: written by the oversight app, not by a case action.
APPEAL_EVENTS = frozenset({Action.APPEAL_FILED, Action.APPEAL_DECIDED})


class ProjectStatus(models.TextChoices):
    """Where a 民生项目 stands (OVERSIGHT.md, "民生项目 follow-through")."""

    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")
    SUSPENDED = "suspended", _("Suspended")


class InvalidReason(models.TextChoices):
    """Why the desk marks a request 无效 (RESIDENTS.md "Abuse and bad input")."""

    SPAM = "spam", _("Spam or abuse")
    TEST = "test", _("A test")
    DUPLICATE = "duplicate", _("A duplicate of another case")
    OTHER = "other", _("Other")
