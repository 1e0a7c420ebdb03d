"""Page forms of the diary: the officer's entry (with rows of visits and issues), filters and the review."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.selectors import assignments_active_for
from cases.choices import Satisfaction, Urgency
from cases.models import Category
from core.forms import PhoneField
from diaries import photos, rules
from diaries.models import VisitKind, VisitType
from diaries.services import DiaryData, IssueData, NewHousehold, VisitData
from households.models import RecordKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to 9 photos, each checked by content; cleans to a list of CheckedPhoto."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        return photos.check_photos(uploads)


class DiaryForm(forms.Form):
    station = forms.TypedChoiceField(
        label=_("Station"), coerce=int, error_messages={"invalid_choice": _("Choose one of your own active stations.")}
    )
    visit_date = forms.DateField(
        label=_("Visit date"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    visit_type = forms.ChoiceField(label=_("Visit type"), choices=VisitType.choices, initial=VisitType.HOUSEHOLD)
    content = forms.CharField(
        label=_("What you saw and heard"),
        max_length=rules.MAX_CONTENT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write down what you saw and heard.")},
    )
    latitude = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput)
    longitude = forms.FloatField(required=False, min_value=-180, max_value=180, widget=forms.HiddenInput)
    photos = PhotosField(
        label=_("Photos (up to 9)"), required=False, widget=MultipleFileInput(attrs={"accept": photos.ACCEPT})
    )
    idempotency_key = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)

    def __init__(self, *args, officer, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.officer = officer
        self.today = today or timezone.localdate()
        stations = [
            (a.station_id, f"{a.station.name}（{a.station.township.name}）" if a.station.township else a.station.name)
            for a in assignments_active_for(officer, on=self.today)
        ]
        if len(stations) == 1:
            self.fields["station"].initial = stations[0][0]
        else:
            stations.insert(0, ("", _("Choose a station")))
        self.fields["station"].choices = stations
        earliest, latest = rules.visit_date_window(self.today)
        self.fields["visit_date"].initial = self.today
        self.fields["visit_date"].widget.attrs.update(min=earliest.isoformat(), max=latest.isoformat())

    def clean_visit_date(self):
        return rules.check_visit_date(self.cleaned_data["visit_date"], today=self.today)

    def clean_content(self):
        return rules.check_content(self.cleaned_data["content"])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("station"):
            try:
                cleaned["station"] = rules.station_for(
                    self.officer, cleaned["station"], on=cleaned.get("visit_date") or self.today
                )
            except ValidationError as exc:
                self.add_error("station", exc)
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            cleaned["latitude"] = cleaned["longitude"] = None
        return cleaned


class VisitForm(forms.Form):
    """One visit: a record of the station picked (the script searches them as the officer types; without
    it the select offers the key records due soonest), a new household, or a free name (groups, passers-by)."""

    kind = forms.ChoiceField(label=_("Met"), choices=VisitKind.choices, initial=VisitKind.HOUSEHOLD)
    household = forms.IntegerField(
        label=_("Household record"), required=False, min_value=1, max_value=2**31 - 1, widget=forms.Select
    )
    name = forms.CharField(label=_("Name"), max_length=100, required=False)
    phone = PhoneField(label=_("Phone"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    new_name = forms.CharField(label=_("New household: head's name"), max_length=100, required=False)
    new_address = forms.CharField(label=_("New household: address"), max_length=200, required=False)
    new_phone = PhoneField(label=_("New household: phone"))
    new_tags = forms.MultipleChoiceField(label=_("New household: tags"), required=False,
                                         widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def __init__(self, *args, records=(), tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        records = list(records)
        picked = self.data.get(self.add_prefix("household")) if self.is_bound else None
        if picked and picked.isdigit() and int(picked) not in {pk for pk, _label in records}:
            records.append((int(picked), f"#{picked}"))  # found by the script's search: keep it chosen
        self.fields["household"].widget.choices = [("", _("No record / not listed")), *records]
        self.fields["new_tags"].choices = [(t, t) for t in tags]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("household") and (cleaned.get("new_name") or "").strip():
            self.add_error("new_name", _("Link a record or add a new one, not both."))
        elif not any((cleaned.get(f) or "").strip() for f in ("name", "new_name")) and not cleaned.get("household"):
            self.add_error("name", _("Say whom you visited."))
        return cleaned

    def to_data(self) -> VisitData:
        c = self.cleaned_data
        new = None
        if (c.get("new_name") or "").strip():
            kind = RecordKind.ENTERPRISE if c["kind"] == VisitKind.ENTERPRISE else RecordKind.HOUSEHOLD
            new = NewHousehold(kind=kind, name=c["new_name"], address=c.get("new_address") or "",
                               phone=c.get("new_phone") or "", tags=tuple(c.get("new_tags") or ()))  # fmt: skip
        return VisitData(kind=c["kind"], name=c.get("name") or "", phone=c.get("phone") or "",
                         address=c.get("address") or "", household_id=c.get("household"), new_household=new)  # fmt: skip


class IssueForm(forms.Form):
    title = forms.CharField(label=_("Issue"), max_length=200)
    description = forms.CharField(
        label=_("Details"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    category = forms.ChoiceField(label=_("Category"))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    reporter_name = forms.CharField(label=_("Resident's name"), max_length=50, required=False)
    reporter_phone = PhoneField(label=_("Resident's phone"))
    solved_on_site = forms.BooleanField(label=_("Solved on the spot"), required=False)
    resolution = forms.CharField(
        label=_("How it was solved"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    feedback = forms.CharField(
        label=_("What the resident was told"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    satisfaction = forms.ChoiceField(
        label=_("Resident's satisfaction"), required=False, choices=[("", "—"), *Satisfaction.choices]
    )

    def __init__(self, *args, categories: dict[str, Category], **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        self.fields["category"].choices = category_choices(categories)

    def clean_category(self):
        return rules.category_for(self.cleaned_data["category"], self.categories)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("solved_on_site"):
            if not (cleaned.get("resolution") or "").strip():
                self.add_error("resolution", _("Say how it was solved on the spot."))
            if not (cleaned.get("feedback") or "").strip():
                self.add_error("feedback", _("Say what the resident was told."))
        return cleaned


def category_choices(categories: dict[str, Category]) -> list:
    """Leaf categories grouped under their parent, in the tree's order."""
    groups: dict[str, list] = {}
    for category in categories.values():
        if category.parent_id:
            groups.setdefault(category.parent.name, []).append((category.code, category.name))
    lone = [(c.code, c.name) for c in categories.values() if not c.parent_id and c.name not in groups]
    return [("", _("Choose a category")), *groups.items(), *lone]


VisitFormSet = forms.formset_factory(
    VisitForm, extra=1, max_num=rules.MAX_VISITS, absolute_max=rules.MAX_VISITS, validate_max=True
)
IssueFormSet = forms.formset_factory(
    IssueForm, extra=1, max_num=rules.MAX_ISSUES, absolute_max=rules.MAX_ISSUES, validate_max=True
)


def filled(formset) -> list[forms.Form]:
    """The rows the officer actually filled in (blank extra rows are skipped)."""
    return [f for f in formset.forms if f.has_changed() and f.cleaned_data]


def diary_data(form: DiaryForm, visits, issues) -> DiaryData:
    c = form.cleaned_data
    return DiaryData(
        station=c["station"],
        visit_date=c["visit_date"],
        visit_type=c["visit_type"],
        content=c["content"],
        latitude=c.get("latitude"),
        longitude=c.get("longitude"),
        visits=tuple(f.to_data() for f in filled(visits)),
        issues=tuple(
            IssueData(**{**f.cleaned_data, "satisfaction": f.cleaned_data.get("satisfaction") or ""})
            for f in filled(issues)
        ),
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Review comment (批阅)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
