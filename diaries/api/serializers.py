"""API shapes of diary entries: what POST accepts (API.md "Creating a diary entry") and what GET answers."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.choices import Difficulty, Satisfaction, Urgency
from core.validators import normalise_phone, validate_phone
from diaries import residents, rules
from diaries.models import DiaryEntry, VisitKind, VisitType
from diaries.services import DiaryData, IssueData, NewHousehold, VisitData
from households.models import RecordKind

# Ids beyond PostgreSQL's integer are refused as input, never looked up.
MAX_ID = 2**31 - 1


def _phone(value: str) -> str:
    validate_phone(value)
    return normalise_phone(value)


class ErrorsPerItemList(serializers.ListSerializer):
    """Item errors as a list aligned with the input, as API.md shows them:
    ``{"issues": [{}, {"category": ["…"]}]}`` (DRF's own default is now a dict keyed by index)."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            detail = exc.detail
            if isinstance(detail, dict) and detail and all(isinstance(k, int) for k in detail):
                raise serializers.ValidationError([detail.get(i, {}) for i in range(len(data))]) from exc
            raise


class LocationSerializer(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lng = serializers.FloatField(min_value=-180, max_value=180)


class NewHouseholdInSerializer(serializers.Serializer):
    """A household record created with the entry ("new household" on the phone form)."""

    kind = serializers.ChoiceField(choices=RecordKind.choices, default=RecordKind.HOUSEHOLD)
    name = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    tags = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, default=list, max_length=20,
        help_text="Tag names from the admin's list (独居老人, 低保户, ...).",
    )  # fmt: skip

    def validate_phone(self, value: str) -> str:
        return _phone(value)


class VisitInSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="",
        help_text="Required unless the visit links a record (then the record's name is the default).",
    )  # fmt: skip
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    household = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None,
        help_text="An active household record of the entry's station (see /api/v1/household-picker/).",
    )  # fmt: skip
    new_household = NewHouseholdInSerializer(required=False, allow_null=True, default=None)

    class Meta:
        list_serializer_class = ErrorsPerItemList

    def validate_phone(self, value: str) -> str:
        return _phone(value)

    def validate(self, attrs: dict) -> dict:
        if attrs["household"] is not None and attrs["new_household"] is not None:
            raise serializers.ValidationError({"new_household": [_("Link a record or add a new one, not both.")]})
        if not attrs["name"].strip() and attrs["household"] is None and attrs["new_household"] is None:
            raise serializers.ValidationError({"name": [_("Say whom you visited.")]})
        return attrs

    @staticmethod
    def to_data(visit: dict) -> VisitData:
        fields = dict(visit)
        household, new = fields.pop("household"), fields.pop("new_household")
        return VisitData(
            **fields,
            household_id=household,
            new_household=NewHousehold(**new | {"tags": tuple(new["tags"])}) if new else None,
        )


class IssueInSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    category = serializers.CharField(max_length=32, help_text="A category code from /api/v1/categories/.")
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    difficulty = serializers.ChoiceField(choices=Difficulty.choices, required=False, allow_null=True, default=None)
    reporter_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    reporter_address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    solved_on_site = serializers.BooleanField(default=False)
    resolution = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    feedback = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", help_text="What the resident was told."
    )
    resident_response = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False, allow_blank=True, default="")
    household = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, default=None,
        help_text="The household record of the entry's station the issue concerns; the case links it.",
    )  # fmt: skip

    class Meta:
        list_serializer_class = ErrorsPerItemList

    def validate_category(self, code: str):
        # One query for all issues of the request, cached on the shared context.
        categories = self.context.get("categories")
        if categories is None:
            categories = self.context["categories"] = rules.active_categories()
        return rules.category_for(code, categories)

    def validate_reporter_phone(self, value: str) -> str:
        return _phone(value)

    @staticmethod
    def to_data(issue: dict) -> IssueData:
        fields = dict(issue)
        household = fields.pop("household")
        return IssueData(**fields, household_id=household)

    def validate(self, attrs: dict) -> dict:
        if attrs["solved_on_site"]:
            errors = {}
            if not attrs["resolution"].strip():
                errors["resolution"] = [_("Say how it was solved on the spot.")]
            if not attrs["feedback"].strip():
                errors["feedback"] = [_("Say what the resident was told.")]
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class DiaryInSerializer(serializers.Serializer):
    station = serializers.IntegerField(help_text="The station (org unit) id of one of the caller's active assignments.")
    visit_date = serializers.DateField()
    visit_type = serializers.ChoiceField(choices=VisitType.choices)
    content = serializers.CharField(
        max_length=rules.MAX_CONTENT,
        error_messages={
            "blank": _("Write down what you saw and heard."),
            "required": _("Write down what you saw and heard."),
        },
    )
    location = LocationSerializer(required=False, allow_null=True, default=None)
    visits = VisitInSerializer(many=True, required=False, default=list, max_length=rules.MAX_VISITS)
    issues = IssueInSerializer(many=True, required=False, default=list, max_length=rules.MAX_ISSUES)

    def validate_visit_date(self, day):
        return rules.check_visit_date(day)

    def validate(self, attrs: dict) -> dict:
        try:
            attrs["station"] = rules.station_for(self.context["officer"], attrs["station"], on=attrs["visit_date"])
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"station": exc.messages}) from exc
        return attrs

    def to_data(self) -> DiaryData:
        v = self.validated_data
        location = v.get("location") or {}
        return DiaryData(
            station=v["station"],
            visit_date=v["visit_date"],
            visit_type=v["visit_type"],
            content=v["content"],
            latitude=location.get("lat"),
            longitude=location.get("lng"),
            visits=tuple(VisitInSerializer.to_data(visit) for visit in v["visits"]),
            issues=tuple(IssueInSerializer.to_data(issue) for issue in v["issues"]),
        )


class DiaryMultipartSerializer(serializers.Serializer):
    """The multipart form of POST /api/v1/diaries/, for entries with photos."""

    payload = serializers.CharField(help_text="The entry as JSON, exactly the body of the JSON form.")
    photos = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="Up to 9 JPEG/PNG/WebP/HEIC photos, 10 MB each."
    )


class ReviewInSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000)


# --- answers -------------------------------------------------------------


class _Brief(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DiaryPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class VisitOutSerializer(serializers.Serializer):
    """A visit as diaries.residents shows it to the caller (a ShownVisit)."""

    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()
    household = serializers.IntegerField(allow_null=True, help_text="The household record visited, if linked.")


class ReviewOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reviewer = DiaryPersonSerializer()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class CaseBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    level = serializers.CharField()


class PossibleCopySerializer(serializers.Serializer):
    entry = serializers.IntegerField(source="copy_of_id")
    score = serializers.FloatField(source="copy_score")


class DiaryListSerializer(serializers.ModelSerializer):
    officer = DiaryPersonSerializer()
    station = _Brief()
    township = _Brief()
    location = serializers.SerializerMethodField()
    visits = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField(help_text="Ids of the cases raised, in the order of the issues.")
    photo_count = serializers.SerializerMethodField()
    review_count = serializers.SerializerMethodField()
    possible_copy = serializers.SerializerMethodField()

    class Meta:
        model = DiaryEntry
        fields = ["id", "officer", "station", "township", "visit_date", "visit_type", "content", "location",
                  "household_visits", "enterprise_visits", "visits", "cases", "photo_count", "review_count",
                  "possible_copy", "created_at"]  # fmt: skip

    @extend_schema_field(VisitOutSerializer(many=True))
    def get_visits(self, entry) -> list:
        # The entry's own view (checked and audited by the detail view), else the list's.
        view = self.context.get("visit_view") or residents.in_list(self.context["request"].user, entry)
        return VisitOutSerializer(view.visits(entry), many=True).data

    def get_location(self, entry) -> dict | None:
        if entry.latitude is None or entry.longitude is None:
            return None
        return {"lat": float(entry.latitude), "lng": float(entry.longitude)}

    def get_cases(self, entry) -> list[int]:
        return [case.pk for case in entry.case_rows]

    def get_photo_count(self, entry) -> int:
        return len(entry.photo_rows) if hasattr(entry, "photo_rows") else len(entry.photos.all())

    def get_review_count(self, entry) -> int:
        return len(entry.review_rows) if hasattr(entry, "review_rows") else len(entry.reviews.all())

    def get_possible_copy(self, entry) -> dict | None:
        return PossibleCopySerializer(entry).data if entry.copy_of_id else None


class PhotoOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.SerializerMethodField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()

    def get_url(self, photo) -> str:
        url = reverse("api-diary-photo", args=[photo.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class DiaryDetailSerializer(DiaryListSerializer):
    photos = PhotoOutSerializer(many=True)
    raised_cases = serializers.SerializerMethodField(
        help_text="The cases raised, in issue order, with their status now."
    )
    reviews = ReviewOutSerializer(many=True)

    class Meta(DiaryListSerializer.Meta):
        fields = [*DiaryListSerializer.Meta.fields, "photos", "raised_cases", "reviews"]

    def get_raised_cases(self, entry) -> list[dict]:
        return CaseBriefSerializer(entry.case_rows, many=True).data
