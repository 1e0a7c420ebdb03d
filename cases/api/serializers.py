from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import OrgUnit
from cases import routing
from cases.choices import FeedbackChannel, Outcome, Satisfaction, Source, Urgency
from cases.models import Case, CaseEvent, Category, Extension, Instruction
from cases.permissions import reporter_masked
from cases.timing import remaining_text
from core.validators import validate_phone


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Category
        fields = ["id", "code", "name", "parent", "default_difficulty"]


class CategoryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name"]


class UnitBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "name", "kind"]


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


# A list page renders 50 rows with five related objects each; a nested
# serializer per object costs more than the whole SQL of the page. These
# read-only fields write the same dicts directly and keep the same schema.
@extend_schema_field(CategoryBriefSerializer)
class CategoryBriefField(serializers.Field):
    """Output only: these serializers answer requests, they never read one."""

    def to_representation(self, category: Category) -> dict:
        return {"id": category.pk, "code": category.code, "name": category.name}


@extend_schema_field(UnitBriefSerializer(allow_null=True))
class UnitBriefField(CategoryBriefField):
    def to_representation(self, unit: OrgUnit) -> dict:
        return {"id": unit.pk, "name": unit.label, "kind": unit.kind}


@extend_schema_field(PersonSerializer(allow_null=True))
class PersonField(CategoryBriefField):
    def to_representation(self, person) -> dict:
        return {"id": person.pk, "name": str(person)}


class CaseSerializer(serializers.ModelSerializer):
    """A case as API.md lists it. The resident's phone and address are shown in full only when
    the context says so (``contact``: the view decided, and logged it); otherwise masked."""

    category = CategoryBriefField()
    township = UnitBriefField(allow_null=True)
    station = UnitBriefField(allow_null=True)
    unit = UnitBriefField(allow_null=True)
    officer = PersonField(allow_null=True)
    reporter_name = serializers.SerializerMethodField()
    reporter_phone = serializers.SerializerMethodField()
    suggested_unit = serializers.SerializerMethodField()
    remaining = serializers.SerializerMethodField()
    # Overdue now (cases.overdue), as the list's filter and the dashboard count it, not the sweep's flag.
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id", "code", "title", "description", "category", "difficulty", "urgency", "source", "level", "status",
            "township", "station", "unit", "officer", "reporter_name", "reporter_phone",
            "clock", "due_at", "dispatch_due", "sign_due", "handle_due", "review_due", "feedback_due", "callback_due",
            "overdue", "supervised", "held_since", "project", "outcome", "created_at", "closed_at", "suggested_unit", "remaining",
        ]  # fmt: skip

    def _contact(self) -> bool:
        return bool(self.context.get("contact"))

    def get_reporter_name(self, case: Case) -> str:
        return case.reporter_name if self._contact() else reporter_masked(case)["name"]

    def get_reporter_phone(self, case: Case) -> str:
        return case.reporter_phone if self._contact() else reporter_masked(case)["phone"]

    @extend_schema_field(UnitBriefSerializer(allow_null=True))
    def get_suggested_unit(self, case: Case) -> dict | None:
        rules = self.context.get("routing")
        rule = rules.get(case.pk) if rules is not None else routing.rule_for(case)
        return {"id": rule.unit.pk, "name": rule.unit.label, "kind": rule.unit.kind} if rule else None

    def get_remaining(self, case: Case) -> str:
        return remaining_text(case, self.context.get("now") or timezone.now())


class ExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Extension
        fields = ["id", "level", "days", "reason", "requested_at", "decision", "decided_at", "note"]


class InstructionBriefSerializer(serializers.ModelSerializer):
    """A leader's instruction (批示) and how the desk carried it out (empty and null until then)."""

    author = PersonField()

    class Meta:
        model = Instruction
        fields = ["id", "author", "content", "created_at", "carried_out", "carried_out_at"]


class CaseDetailSerializer(CaseSerializer):
    assisting_units = UnitBriefSerializer(many=True)
    reporter_address = serializers.SerializerMethodField()
    extensions = ExtensionSerializer(many=True)
    instructions = InstructionBriefSerializer(many=True)
    actions = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "assisting_units", "reporter_address", "extensions", "instructions",
                  "actions"]  # fmt: skip

    def get_reporter_address(self, case: Case) -> str:
        return case.reporter_address if self._contact() else ""

    def get_actions(self, case: Case) -> list[str]:
        """The action routes the caller may POST to now."""
        return list(self.context.get("actions", []))


class CaseEventSerializer(serializers.ModelSerializer):
    actor = PersonField(allow_null=True)
    unit = UnitBriefField(allow_null=True)
    says = serializers.SerializerMethodField(help_text="The decision and its details, in the caller's language.")

    class Meta:
        model = CaseEvent
        fields = ["id", "action", "actor", "from_status", "to_status", "level", "unit", "note", "says", "data",
                  "created_at"]  # fmt: skip

    def get_says(self, event: CaseEvent) -> str:
        from cases.actions import event_says  # the definitions read this module's bodies

        return event_says(event)


class CaseCreateSerializer(serializers.Serializer):
    """A case taken by a desk from another channel (市长直通车, 民情月商会, 信访, phone, walk-in)."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.SlugRelatedField(slug_field="code", queryset=Category.objects.filter(is_active=True))
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    difficulty = serializers.ChoiceField(
        choices=Case._meta.get_field("difficulty").choices, required=False, allow_blank=True
    )
    source = serializers.ChoiceField(choices=[c for c in Source.choices if c[0] not in (Source.DIARY, Source.RESIDENT)])
    township = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False)
    station = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), required=False, allow_null=True)
    reporter_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", validators=[validate_phone]
    )
    reporter_address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict) -> dict:
        if "township" not in attrs:
            own = self.context["request"].user.org_unit
            if own is None or own.township_id is None:
                raise serializers.ValidationError({"township": [_("Choose a township.")]})
            attrs["township"] = own.township
        return attrs


# --- action bodies (API.md "Case actions"). Free text is checked by the services, so a
# caller without the right role hears 403 before being told a reason is missing.


class _Text(serializers.CharField):
    def __init__(self, **kwargs):
        super().__init__(required=False, allow_blank=True, default="", **kwargs)


class DispatchSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    assisting_units = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all(), many=True, required=False)
    note = _Text()


class ReasonSerializer(serializers.Serializer):
    reason = _Text()


class EmptySerializer(serializers.Serializer):
    pass


class ExtensionRequestSerializer(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=20)
    reason = _Text()


class ExtensionDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = _Text()


class HoldSerializer(serializers.Serializer):
    reason = _Text()
    # Checked by the service (missing, or not after today): the same words on the page and the API.
    review_on = serializers.DateField(required=False, allow_null=True, default=None)


class HoldDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = _Text()


class UnreasonableDecisionSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = _Text()


class ReplySerializer(serializers.Serializer):
    result = _Text()
    outcome = serializers.ChoiceField(choices=Outcome.choices)


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    reason = _Text()


class InvalidSerializer(serializers.Serializer):
    # Checked by the service, so the page and the API answer a missing reason with the same words.
    kind = serializers.CharField(required=False, allow_blank=True, default="")
    reason = _Text()


class FeedbackSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=FeedbackChannel.choices)
    content = _Text()
    resident_response = _Text()


class CallbackSerializer(serializers.Serializer):
    reached = serializers.BooleanField()
    solved = serializers.BooleanField(required=False, allow_null=True, default=None)
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices, required=False, allow_blank=True, default="")
    note = _Text()
    close = serializers.BooleanField(
        required=False, default=False, help_text="With reached=false: close after three recorded unanswered calls."
    )


class NoteSerializer(serializers.Serializer):
    note = _Text()


class InstructionSerializer(serializers.Serializer):
    content = _Text()


class InstructionReportSerializer(serializers.Serializer):
    instruction = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    content = _Text()
