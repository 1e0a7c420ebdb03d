from rest_framework import serializers

from cases.models import Case, Project


class BriefCaseSerializer(serializers.ModelSerializer):
    """A case as lists of other cases show it: similar cases here, a hotspot's cases in dashboards."""

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


class ProjectSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city.name")
    lead_unit = serializers.CharField(source="lead_unit.label", default=None, allow_null=True)
    case_ids = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "title", "description", "city", "lead_unit", "progress", "is_done", "created_at", "case_ids"]

    def get_case_ids(self, project) -> list[int]:
        # Only the cases the caller may see: projects_with_visible_cases prefetches them as ``visible_cases``.
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
