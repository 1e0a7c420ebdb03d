from rest_framework import serializers

from cases.choices import ProjectStatus
from cases.models import Case, Project, ProjectMilestone, ProjectUpdate


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


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectMilestone
        fields = ["id", "title", "planned_on", "done_on", "order"]


class ProjectUpdateItemSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.__str__")

    class Meta:
        model = ProjectUpdate
        fields = ["id", "text", "percent", "by", "at", "drafted_cases"]


class ProjectSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="city.name")
    lead_unit = serializers.CharField(source="lead_unit.label", default=None, allow_null=True)
    lead_unit_id = serializers.IntegerField(allow_null=True)
    assisting_units = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display")
    remaining = serializers.DecimalField(max_digits=13, decimal_places=2)
    milestones = MilestoneSerializer(many=True)
    case_ids = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["id", "title", "description", "city", "lead_unit", "lead_unit_id", "assisting_units", "status",
                  "status_display", "progress", "progress_percent", "budget", "spent", "remaining", "is_late",
                  "milestones", "created_at", "case_ids"]  # fmt: skip

    def get_assisting_units(self, project) -> list[int]:
        return [u.pk for u in project.assisting_units.all()]

    def get_case_ids(self, project) -> list[int]:
        # Only the cases the caller may see: projects_with_visible_cases prefetches them as ``visible_cases``.
        return [c.pk for c in getattr(project, "visible_cases", [])]


class ProjectCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    case_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), allow_empty=False, max_length=500
    )


class ProjectPatchSerializer(serializers.Serializer):
    """Only the fields given change (cases.services.projects.project_update checks the values)."""

    lead_unit = serializers.IntegerField(min_value=1, max_value=2**62, required=False)
    assisting_units = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62), required=False, max_length=50
    )
    budget = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    spent = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=0, required=False)
    progress_percent = serializers.IntegerField(min_value=0, max_value=100, required=False)
    status = serializers.ChoiceField(choices=ProjectStatus.choices, required=False)
    progress = serializers.CharField(allow_blank=True, max_length=4000, required=False)


class MilestoneCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    planned_on = serializers.DateField()


class MilestoneCompleteSerializer(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True)


class ProgressUpdateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)
    percent = serializers.IntegerField(min_value=0, max_value=100)
    draft_to_cases = serializers.BooleanField(required=False, default=False)
