from rest_framework import serializers

from oversight.models import OrderLevel, ScoreAppeal, SupervisionOrder


class OrderSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    state = serializers.CharField(read_only=True)
    case_code = serializers.CharField(source="case.code", read_only=True)
    unit_name = serializers.CharField(source="unit.label", read_only=True)
    issued_by = serializers.CharField(source="issued_by.__str__", default=None, allow_null=True, read_only=True)
    signed_by = serializers.CharField(source="signed_by.__str__", default=None, allow_null=True, read_only=True)
    replied_by = serializers.CharField(source="replied_by.__str__", default=None, allow_null=True, read_only=True)

    class Meta:
        model = SupervisionOrder
        fields = ["id", "number", "year", "serial", "case", "case_code", "unit", "unit_name", "level", "content",
                  "reply_by", "issued_by", "issued_at", "signed_by", "signed_at", "reply", "replied_by", "replied_at",
                  "overdue", "state"]  # fmt: skip


class IssuedSerializer(OrderSerializer):
    reply_by_moved = serializers.BooleanField(read_only=True)

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "reply_by_moved"]


class IssueSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=2**62)
    level = serializers.ChoiceField(choices=OrderLevel.choices)
    content = serializers.CharField(max_length=4000)
    reply_by = serializers.DateField()


class OrderReplySerializer(serializers.Serializer):
    content = serializers.CharField(max_length=4000, allow_blank=True)


# 考核 rows (oversight.scores): described for the schema, filled from plain dicts.
class ScoreUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()


class ScoreComponentSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="the METRICS.md rate, 0..1; null: nothing to measure")
    points = serializers.FloatField(allow_null=True)
    weight = serializers.IntegerField()


class ScoreDeductionSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    points = serializers.FloatField()


class ScoreComponentsSerializer(serializers.Serializer):
    response_rate = ScoreComponentSerializer()
    on_time_rate = ScoreComponentSerializer()
    satisfaction_rate = ScoreComponentSerializer()


class ScoreDeductionsSerializer(serializers.Serializer):
    overdue_orders = ScoreDeductionSerializer()
    wrong_returns = ScoreDeductionSerializer()


class ScoreRowSerializer(serializers.Serializer):
    unit = ScoreUnitSerializer(help_text="the responsible unit, or the township (kind=township)")
    score = serializers.FloatField()
    grade = serializers.ChoiceField(choices=["A", "B", "C"])
    components = ScoreComponentsSerializer()
    deductions = ScoreDeductionsSerializer()


class AppealSerializer(serializers.ModelSerializer):
    case_code = serializers.CharField(source="case.code", read_only=True)
    unit_name = serializers.CharField(source="unit.label", read_only=True)
    month = serializers.SerializerMethodField(help_text="YYYY-MM")
    filed_by = serializers.StringRelatedField()
    decided_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = ScoreAppeal
        fields = ["id", "case", "case_code", "unit", "unit_name", "month", "reason", "filed_by", "filed_at",
                  "decision", "decided_by", "decided_at", "note"]  # fmt: skip

    def get_month(self, appeal: ScoreAppeal) -> str:
        return f"{appeal.month:%Y-%m}"


class AppealFileSerializer(serializers.Serializer):
    case = serializers.IntegerField(min_value=1, max_value=2**62)
    month = serializers.RegexField(r"^(20\d\d|2100)-(0[1-9]|1[0-2])$", help_text="YYYY-MM",
                                   error_messages={"invalid": "YYYY-MM"})  # fmt: skip
    reason = serializers.CharField(max_length=4000)


class AppealDecisionSerializer(serializers.Serializer):
    uphold = serializers.BooleanField()
    note = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")
