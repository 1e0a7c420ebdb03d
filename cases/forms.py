"""The small forms of the case pages: one per action (named by its definition in cases.actions), and
raising a case from another channel. Their cleaned_data are the keyword arguments of the action's service.
"""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import STATION_KINDS, TOWNSHIP_KINDS, OrgKind, OrgUnit
from accounts.roles import Role
from accounts.selectors import org_units_visible_to
from cases import deadlines
from cases.choices import Clock, FeedbackChannel, InvalidReason, Outcome, Satisfaction, Source, Urgency
from cases.models import Case, Category, Extension, Hold, Instruction, Unreasonable
from cases.selectors import categories_active, dispatchable_units, station_backer_id
from core.forms import PhoneField

YES_NO = [("1", _("Yes")), ("0", _("No"))]


def _yes(value: str) -> bool:
    return value == "1"


def _text(label, *, required: bool = True, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class ActionForm(forms.Form):
    # A decision taken with one of several submit buttons, each setting a hidden field:
    # (field, value, label); the first is the primary one. Empty: one button, the action's label.
    buttons: tuple = ()

    def __init__(self, *args, case: Case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def intro(self) -> str:
        """What the person deciding should read first."""
        return ""


# How a desk thinks of the units it can send a case to, in the order it looks for them.
UNIT_GROUPS = (
    ("backer", _("The officer's dispatching unit")),
    (OrgKind.TOWNSHIP_OFFICE, _("Township offices")),
    (OrgKind.TOWNSHIP, _("Township")),
    (OrgKind.PARK, _("Township")),
    (OrgKind.DEPARTMENT, _("City departments")),
    (OrgKind.OTHER, _("Co-building units")),
)


class _UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label  # tells apart the nine 综合治理办公室


class _UnitsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


def grouped_units(units, *, backer_id: int | None) -> list:
    """The units as <optgroup>s: the officer's own dispatching unit first, then by kind."""
    known = {key for key, _label in UNIT_GROUPS}
    groups: dict[str, list] = {}
    for unit in units:
        key = "backer" if unit.pk == backer_id else unit.kind if unit.kind in known else OrgKind.OTHER
        groups.setdefault(key, []).append((unit.pk, unit.label))
    merged: dict[str, list] = {}
    for key, label in UNIT_GROUPS:
        if groups.get(key):
            merged.setdefault(str(label), []).extend(groups[key])
    return list(merged.items())


class DispatchForm(ActionForm):
    unit = _UnitChoice(label=_("Responsible unit"), queryset=OrgUnit.objects.none())
    assisting_units = _UnitsChoice(label=_("Assisting units"), queryset=OrgUnit.objects.none(), required=False)
    note = _text(_("Note"), required=False, rows=2)

    def __init__(self, *args, suggested=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = list(dispatchable_units(self.case))
        backer = station_backer_id(self.case)
        self.fields["unit"].queryset = self.fields["assisting_units"].queryset = dispatchable_units(self.case)
        self.fields["unit"].choices = [("", "---------"), *grouped_units(units, backer_id=backer)]
        self.fields["assisting_units"].choices = grouped_units(units, backer_id=backer)
        self.suggested = suggested
        if suggested is not None:
            self.fields["unit"].initial = suggested.pk

    def intro(self) -> str:
        """The deadline the dispatch will set, and the unit the routing rules suggest."""
        due = deadlines.due(timezone.now(), level=self.case.level, urgency=self.case.urgency, clock=Clock.HANDLE)
        parts = [gettext("Dispatched now, it is due %(when)s.") % {"when": formats.date_format(
            timezone.localtime(due), "Y-m-d H:i")}]  # fmt: skip
        if self.suggested is not None:
            parts.append(gettext("Suggested by the routing rules: %(unit)s.") % {"unit": self.suggested.label})
        return " ".join(parts)


class ReasonForm(ActionForm):
    reason = _text(_("Reason"))


class SignForm(ActionForm):
    pass


class ExtensionForm(ActionForm):
    days = forms.IntegerField(label=_("Working days"), min_value=1, max_value=20)
    reason = _text(_("Reason"))


class DecisionForm(ActionForm):
    """Approve or deny the pending extension request."""

    buttons = (("approve", "1", _("Approve")), ("approve", "0", _("Deny")))
    approve = forms.TypedChoiceField(choices=YES_NO, coerce=_yes, widget=forms.HiddenInput)
    note = _text(_("Note (required to deny)"), required=False, rows=2)

    def intro(self) -> str:
        pending = next((e for e in self.case.extensions.all() if e.decision == Extension.Decision.PENDING), None)
        if pending is None:
            return ""
        return gettext("Asked for %(days)s working days: %(reason)s") % {"days": pending.days, "reason": pending.reason}


class HoldForm(ActionForm):
    reason = _text(_("Reason (the plan or budget it waits on)"))
    review_on = forms.DateField(
        label=_("Review date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class HoldDecisionForm(ActionForm):
    """Approve or refuse the pending hold."""

    buttons = (("approve", "1", _("Approve the hold")), ("approve", "0", _("Refuse")))
    approve = forms.TypedChoiceField(choices=YES_NO, coerce=_yes, widget=forms.HiddenInput)
    note = _text(_("Note (required to refuse)"), required=False, rows=2)

    def intro(self) -> str:
        pending = self.case.holds.filter(decision=Hold.Decision.PENDING).first()
        if pending is None:
            return ""
        return gettext("On hold until %(date)s asked: %(reason)s") % {
            "date": formats.date_format(pending.review_on, "Y-m-d"), "reason": pending.reason,
        }  # fmt: skip


class UnreasonableForm(ActionForm):
    reason = _text(_("Why the request is unreasonable"))


class InvalidForm(ActionForm):
    """无效: the kind of request (spam, test, duplicate) and the desk's words; both are required."""

    kind = forms.ChoiceField(label=_("Why it is invalid"), choices=[("", "---------"), *InvalidReason.choices])
    reason = _text(_("Details (e.g. the case it duplicates)"), rows=2)


class UnreasonableDecisionForm(ActionForm):
    """Approve or refuse the pending 不合理诉求 claim."""

    buttons = (("approve", "1", _("Approve: unreasonable")), ("approve", "0", _("Refuse")))
    approve = forms.TypedChoiceField(choices=YES_NO, coerce=_yes, widget=forms.HiddenInput)
    note = _text(_("Note (required to refuse)"), required=False, rows=2)

    def intro(self) -> str:
        pending = self.case.unreasonable_claims.filter(decision=Unreasonable.Decision.PENDING).first()
        return gettext("Marked unreasonable: %(reason)s") % {"reason": pending.reason} if pending else ""


class ReleaseForm(ActionForm):
    note = _text(_("Note"), required=False, rows=2)


class ReviewForm(ActionForm):
    buttons = (("approve", "1", _("Approve the reply")), ("approve", "0", _("Send it back")))
    approve = forms.TypedChoiceField(choices=YES_NO, coerce=_yes, widget=forms.HiddenInput)
    reason = _text(_("Reason (required to send it back)"), required=False, rows=2)

    def intro(self) -> str:
        """The reply under review, read before the buttons."""
        reply = self.case.dispatches.filter(replied_at__isnull=False).order_by("-replied_at", "-id").first()
        if reply is None:
            return ""
        return gettext("%(unit)s replied (%(outcome)s): %(result)s") % {
            "unit": reply.unit.label, "outcome": reply.get_outcome_display(), "result": reply.result,
        }  # fmt: skip


class ReplyForm(ActionForm):
    result = _text(_("What was done"))
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)


class FeedbackForm(ActionForm):
    channel = forms.ChoiceField(label=_("How the resident was told"), choices=FeedbackChannel.choices)
    content = _text(_("What the resident was told"))
    resident_response = _text(_("The resident's words"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A 民生项目's progress sent to the case: a starting point, the desk still words it for this resident.
        if not self.is_bound and self.case.feedback_draft:
            self.initial.setdefault("content", self.case.feedback_draft)

    def intro(self) -> str:
        """The case's holds (挂账), so whoever tells the resident says why it waited."""
        from cases.services.holds import hold_history

        return "\n".join(
            gettext("On hold from %(from)s to %(to)s: %(reason)s") % hold for hold in hold_history(self.case)
        )


class CallbackForm(ActionForm):
    reached = forms.TypedChoiceField(label=_("Resident reached"), choices=YES_NO, coerce=_yes, widget=forms.RadioSelect)
    solved = forms.TypedChoiceField(
        label=_("Solved, says the resident"), choices=[("", "—"), *YES_NO], coerce=_yes, empty_value=None,
        required=False,
    )  # fmt: skip
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), choices=[("", "—"), *Satisfaction.choices], required=False
    )
    note = _text(_("Note"), required=False, rows=2)
    close = forms.BooleanField(
        label=_("Close without reaching the resident (after three unanswered calls)"), required=False
    )


class SuperviseForm(ActionForm):
    note = _text(_("Note"), required=False, rows=2)


class InstructionForm(ActionForm):
    content = _text(_("Instruction"), required=False, rows=3)


class _InstructionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        when = formats.date_format(timezone.localtime(obj.created_at), "Y-m-d H:i")
        return f"{obj.author} · {when}: {obj.content[:60]}"


class InstructionReportForm(ActionForm):
    """How the desk carried out one of the case's instructions still waiting for it."""

    instruction = _InstructionChoice(label=_("Instruction"), queryset=Instruction.objects.none(), empty_label=None)
    content = _text(_("How it was carried out"), required=False, rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instruction"].queryset = Instruction.objects.filter(
            case=self.case, carried_out_at__isnull=True
        ).select_related("author")


class RaiseForm(forms.Form):
    """A desk takes a case from another channel: 市长直通车, 民情月商会, 信访, phone, walk-in."""

    source = forms.ChoiceField(
        label=_("Channel"), choices=[c for c in Source.choices if c[0] not in (Source.DIARY, Source.RESIDENT)]
    )
    township = forms.ModelChoiceField(label=_("Township"), queryset=OrgUnit.objects.none())
    station = forms.ModelChoiceField(
        label=_("Village, community or enterprise"), queryset=OrgUnit.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = _text(_("Description"), required=False, rows=4)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    difficulty = forms.ChoiceField(
        label=_("Difficulty"), choices=[("", _("Category default")), *Case._meta.get_field("difficulty").choices],
        required=False,
    )  # fmt: skip
    reporter_name = forms.CharField(label=_("Resident's name"), max_length=50, required=False)
    reporter_phone = PhoneField(label=_("Resident's phone"))
    reporter_address = forms.CharField(label=_("Resident's address"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = org_units_visible_to(user)
        townships = units.filter(kind__in=TOWNSHIP_KINDS)
        if not user.has_role(Role.CITY_OFFICE) and user.org_unit:
            townships = townships.filter(pk=user.org_unit.township_id)
            self.fields["township"].initial = user.org_unit.township_id
        self.fields["township"].queryset = townships.order_by("sort_order", "code")
        self.fields["station"].queryset = units.filter(kind__in=STATION_KINDS).order_by("township_id", "name")
        self.fields["category"].queryset = categories_active().filter(parent__isnull=False)
