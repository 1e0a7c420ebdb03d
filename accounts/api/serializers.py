from rest_framework import serializers

from accounts.models import ApiToken, OrgUnit, StationAssignment, User


class OrgUnitBriefSerializer(serializers.ModelSerializer):
    """A unit as people are shown it: ``label`` is 「甘霖镇 · 综合治理办公室」 where names repeat
    (OrgUnit.label); ``name`` stays for clients that already read it. Every unit here carries both."""

    class Meta:
        model = OrgUnit
        fields = ["id", "name", "label", "kind"]


class OrgUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "label", "kind", "parent", "city", "township", "is_active"]


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    org_unit = OrgUnitBriefSerializer(allow_null=True)
    township = serializers.SerializerMethodField()
    city = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "roles", "org_unit", "township", "city"]

    def get_roles(self, user: User) -> list[str]:
        return sorted(user.role_names)

    def _brief(self, unit: OrgUnit | None) -> dict | None:
        return OrgUnitBriefSerializer(unit).data if unit else None

    def get_township(self, user: User) -> dict | None:
        return self._brief(user.org_unit.township if user.org_unit else None)

    def get_city(self, user: User) -> dict | None:
        return self._brief(user.org_unit.city if user.org_unit else None)


class StationSerializer(serializers.ModelSerializer):
    station = OrgUnitBriefSerializer()
    township = serializers.SerializerMethodField()

    class Meta:
        model = StationAssignment
        fields = ["id", "station", "kind", "start", "end", "township"]

    def get_township(self, assignment: StationAssignment) -> dict | None:
        township = assignment.station.township
        return OrgUnitBriefSerializer(township).data if township else None


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    device = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="A name for the device, shown in its owner's list"
    )
    otp = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text="The authenticator code (or a recovery code), "
        "for a user with a second factor"
    )  # fmt: skip


class TokenSerializer(serializers.Serializer):
    """The key, shown this once; ``expiry`` moves on with use (idle lifetime) up to the absolute end."""

    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class ApiTokenSerializer(serializers.ModelSerializer):
    """One of the caller's tokens: never the key nor its digest, only the key's first characters."""

    prefix = serializers.SerializerMethodField()
    current = serializers.SerializerMethodField(help_text="The token this request was made with")

    class Meta:
        model = ApiToken
        fields = ["id", "prefix", "device", "created", "expiry", "current"]

    def get_prefix(self, token: ApiToken) -> str:
        return token.token_key[:8]

    def get_current(self, token: ApiToken) -> bool:
        request = self.context.get("request")
        return isinstance(getattr(request, "auth", None), ApiToken) and request.auth.pk == token.pk
