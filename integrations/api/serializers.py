from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.validators import validate_phone


class OrderSerializer(serializers.Serializer):
    """An order as a platform sends it (README, "Orders from 12345 / 四平台")."""

    external_id = serializers.CharField(max_length=64)
    category_code = serializers.CharField(max_length=64)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(max_length=5000)
    reporter_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    reporter_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", validators=[validate_phone]
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    township_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
    reported_at = serializers.DateTimeField()

    def validate_external_id(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("This field may not be blank."))
        return value.strip()


class OrderAnswerSerializer(serializers.Serializer):
    order = serializers.IntegerField(help_text="Our number of the order.")
    case = serializers.CharField(allow_null=True, help_text="The case code, or null while it awaits a mapping.")
    status = serializers.CharField()
