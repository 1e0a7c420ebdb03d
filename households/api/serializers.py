"""The ledger's API shapes (API.md "Households")."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from accounts.models import STATION_KINDS, OrgUnit
from core.masking import mask_phone
from core.validators import validate_phone
from households.models import EnterpriseSize, HandoverNote, Household, RecordKind, RecordStatus
from households.validators import validate_credit_code


class HouseholdSerializer(serializers.ModelSerializer):
    """A record; the phone in full only when the view says so (``phones``), tags only when ``tags``."""

    phone = serializers.SerializerMethodField()
    tags = serializers.SerializerMethodField()
    last_visit = serializers.DateField(source="last_visit_on", read_only=True, allow_null=True)
    # Declared so the schema says what a household (no size) answers: "".
    size = serializers.ChoiceField(choices=EnterpriseSize.choices, read_only=True, allow_blank=True)
    station_name = serializers.CharField(source="station.name", read_only=True)

    class Meta:
        model = Household
        fields = [
            "id", "kind", "station", "station_name", "township", "name", "address", "phone", "members", "credit_code",
            "contact", "industry", "size", "notes", "tags", "status", "inactive_since", "interval_days", "last_visit",
            "next_visit_due",
        ]  # fmt: skip
        read_only_fields = fields

    def get_phone(self, record: Household) -> str:
        return record.phone if self.context.get("phones") else mask_phone(record.phone)

    def get_tags(self, record: Household) -> list[str]:
        if not self.context.get("tags"):
            return []
        return [t.name for t in record.tags.all()]


def _station(value: int) -> OrgUnit:
    # The same answer for a missing station and one of another township: ids cannot be probed.
    station = OrgUnit.objects.filter(pk=value, kind__in=STATION_KINDS, township__isnull=False).first()
    if station is None:
        raise serializers.ValidationError(_("You do not keep the ledger of this station."))
    return station


class HouseholdWriteSerializer(serializers.Serializer):
    """POST (``station`` and ``name`` required) and PATCH (any of them; ``status`` too)."""

    kind = serializers.ChoiceField(choices=RecordKind.choices, required=False)
    station = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    name = serializers.CharField(max_length=100)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, validators=[validate_phone])
    members = serializers.IntegerField(min_value=0, max_value=999, required=False, allow_null=True)
    credit_code = serializers.CharField(
        max_length=18, required=False, allow_blank=True, validators=[validate_credit_code]
    )
    contact = serializers.CharField(max_length=50, required=False, allow_blank=True)
    industry = serializers.CharField(max_length=50, required=False, allow_blank=True)
    size = serializers.ChoiceField(choices=EnterpriseSize.choices, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=20), max_length=20, required=False)
    status = serializers.ChoiceField(choices=RecordStatus.choices, required=False)

    def validate_station(self, value: int) -> OrgUnit:
        return _station(value)

    def validate(self, attrs):
        if self.instance is None and "status" in attrs:
            raise serializers.ValidationError({"status": [_("A new record is active.")]})
        return attrs


class HandoverNoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.name", read_only=True)

    class Meta:
        model = HandoverNote
        fields = ["id", "station", "author", "text", "created_at"]
        read_only_fields = fields


class TimelineItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("visit", "visit"), ("case", "case")])
    date = serializers.DateField(source="day")
    id = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    officer = serializers.CharField()
    status = serializers.CharField(allow_blank=True)
    status_label = serializers.CharField(allow_blank=True)
