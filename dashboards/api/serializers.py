from rest_framework import serializers

from cases.models import Case, Project


class BriefCaseSerializer(serializers.ModelSerializer):
    township = serializers.CharField(source="township.name", default=None, allow_null=True)
    category = serializers.CharField(source="category.code")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Case
        fields = ["id", "code", "title", "category", "township", "status", "status_display", "created_at", "project"]


class SimilarCaseSerializer(BriefCaseSerializer):
    score = serializers.FloatField()

    class Meta(BriefCaseSerializer.Meta):
        fields = [*BriefCaseSerializer.Meta.fields, "score"]


class SimilarPageSerializer(serializers.Serializer):
    """The list shape of API.md (one page: the best matches)."""

    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = SimilarCaseSerializer(many=True)


class HotspotCaseSerializer(BriefCaseSerializer):
    similarity = serializers.FloatField()

    class Meta(BriefCaseSerializer.Meta):
        fields = [*BriefCaseSerializer.Meta.fields, "similarity"]


class HotspotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.CharField(source="category.code")
    category_name = serializers.CharField(source="category.__str__")
    townships = serializers.IntegerField()
    township_names = serializers.SerializerMethodField()
    residents = serializers.IntegerField()
    cases_count = serializers.IntegerField()
    score = serializers.FloatField()
    detected_at = serializers.DateTimeField()
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


class ProjectSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city.name")
    lead_unit = serializers.CharField(source="lead_unit.label", default=None, allow_null=True)
    case_ids = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "title", "description", "city", "lead_unit", "progress", "is_done", "created_at", "case_ids"]

    def get_case_ids(self, project) -> list[int]:
        # Only the cases the caller may see; the view prefetches them as ``visible_cases``.
        return [c.pk for c in getattr(project, "visible_cases", [])]


class ProjectCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    case_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), allow_empty=False, max_length=500
    )


class ProjectUpdateSerializer(serializers.Serializer):
    progress = serializers.CharField(allow_blank=True, max_length=4000)
    is_done = serializers.BooleanField()
