from rest_framework import serializers

from cases.projects.api.serializers import BriefCaseSerializer


class HotspotCaseSerializer(BriefCaseSerializer):
    similarity = serializers.FloatField()

    class Meta(BriefCaseSerializer.Meta):
        fields = [*BriefCaseSerializer.Meta.fields, "similarity"]


class HotspotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    category = serializers.CharField(source="category.code")
    category_name = serializers.CharField(source="category.__str__")
    townships = serializers.IntegerField()
    township_names = serializers.SerializerMethodField()
    residents = serializers.IntegerField()
    cases_count = serializers.IntegerField()
    baseline = serializers.FloatField()
    surge_ratio = serializers.FloatField()
    score = serializers.FloatField()
    detected_at = serializers.DateTimeField()
    first_seen = serializers.DateTimeField(allow_null=True)
    is_new = serializers.BooleanField()
    project = serializers.IntegerField(source="project_id", allow_null=True)
    cases = serializers.SerializerMethodField()

    def _members(self, hotspot):
        return hotspot.members.all()

    def get_township_names(self, hotspot) -> list[str]:
        return sorted({m.case.township.name for m in self._members(hotspot) if m.case.township})

    def get_cases(self, hotspot) -> list[dict]:
        out = []
        for member in self._members(hotspot):
            member.case.similarity = member.similarity
            out.append(HotspotCaseSerializer(member.case).data)
        return out
