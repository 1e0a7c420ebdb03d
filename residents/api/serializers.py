"""The residents' channel in the API (API.md "Residents' channel")."""

from rest_framework import serializers

from cases.choices import Satisfaction


class PublicOfficerSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()


class PublicStationSerializer(serializers.Serializer):
    station = serializers.CharField()
    township = serializers.CharField()
    # The officer's name and work phone only; null while the station has no officer.
    officer = PublicOfficerSerializer(allow_null=True)


class PublicRequestInSerializer(serializers.Serializer):
    station_token = serializers.CharField(max_length=60)
    # Length and content are checked by residents.intake with the page's messages.
    content = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=20000)
    category = serializers.CharField(required=False, allow_blank=True, default="", max_length=32)
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    phone = serializers.CharField(max_length=40)
    confidential = serializers.BooleanField(default=False)
    consent = serializers.BooleanField()
    # The honeypot: a field people never see; anything in it is a robot (answered 400, nothing written).
    website = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class PublicTrackingCodeSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()


class PublicRatingSerializer(serializers.Serializer):
    solved = serializers.BooleanField(allow_null=True)
    satisfaction = serializers.CharField()
    comment = serializers.CharField()
    at = serializers.DateTimeField()


class PublicStorySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=["received", "handling", "answered", "closed"])
    status_text = serializers.CharField()
    unit = serializers.CharField()
    received_at = serializers.DateTimeField()
    answered_at = serializers.DateTimeField(allow_null=True)
    feedback = serializers.CharField()
    rating = PublicRatingSerializer(allow_null=True)


class PublicRatingInSerializer(serializers.Serializer):
    phone_tail = serializers.CharField(max_length=10)
    solved = serializers.BooleanField()
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class PublicMessageSerializer(serializers.Serializer):
    detail = serializers.CharField()
