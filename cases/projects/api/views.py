"""Projects (民生项目) and similar cases (API.md)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api.serializers import InstructionBriefSerializer, InstructionSerializer
from cases.models import Case, Project, ProjectMilestone
from cases.projects.api.serializers import (
    MilestoneCompleteSerializer,
    MilestoneCreateSerializer,
    MilestoneSerializer,
    ProgressUpdateSerializer,
    ProjectCreateSerializer,
    ProjectPatchSerializer,
    ProjectSerializer,
    ProjectUpdateItemSerializer,
    SimilarCaseSerializer,
    SimilarPageSerializer,
)
from cases.projects.selectors import projects_visible_to, projects_with_visible_cases
from cases.projects.similar import similar_cases
from cases.selectors import cases_visible_to
from cases.services.instructions import project_instruction
from cases.services.project_progress import milestone_add, milestone_complete, progress_update
from cases.services.projects import project_create, project_update


class ProjectListView(generics.ListCreateAPIView):
    """Projects (民生项目) the caller can see; the city office creates one from a list of cases."""

    serializer_class = ProjectSerializer

    def get_queryset(self):
        return projects_with_visible_cases(self.request.user).order_by("-created_at", "-id")

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def post(self, request):
        body = ProjectCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # Refusals (403, 409) are answered by core.api.errors; an id gone since validation is a field error.
        try:
            project = project_create(by=request.user, **body.validated_data)
        except Case.DoesNotExist as exc:
            raise ValidationError({"case_ids": ["Unknown case."]}) from exc
        project = projects_with_visible_cases(request.user).get(pk=project.pk)
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)


class ProjectDetailView(generics.RetrieveAPIView):
    """A project with its milestones; PATCH (the city office): lead unit, assisting units, budget, spent,
    progress percent and note, status."""

    serializer_class = ProjectSerializer

    def get_queryset(self):
        return projects_with_visible_cases(self.request.user)

    @extend_schema(request=ProjectPatchSerializer, responses={200: ProjectSerializer})
    def patch(self, request, pk: int):
        project = self.get_object()
        body = ProjectPatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        if "progress_percent" in fields:
            fields["percent"] = fields.pop("progress_percent")
        project_update(by=request.user, project=project, request=request, **fields)
        return Response(ProjectSerializer(self.get_queryset().get(pk=pk)).data)


class _ProjectSubView(APIView):
    def project(self, request, pk: int) -> Project:
        found = projects_visible_to(request.user).filter(pk=pk).first()
        if found is None:
            raise Http404
        return found


class MilestoneListView(_ProjectSubView):
    """The city office adds a milestone (title, planned date not in the past)."""

    @extend_schema(request=MilestoneCreateSerializer, responses={201: MilestoneSerializer})
    def post(self, request, pk: int):
        project = self.project(request, pk)
        body = MilestoneCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        milestone = milestone_add(by=request.user, project=project, request=request, **body.validated_data)
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


class MilestoneCompleteView(_ProjectSubView):
    """The city office or the lead unit marks a milestone done (today by default, never in the future)."""

    @extend_schema(request=MilestoneCompleteSerializer, responses={200: MilestoneSerializer})
    def post(self, request, pk: int, mid: int):
        project = self.project(request, pk)
        body = MilestoneCompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            milestone = milestone_complete(by=request.user, project=project, milestone_id=mid, request=request,
                                           done_on=body.validated_data.get("done_on"))  # fmt: skip
        except ProjectMilestone.DoesNotExist:
            raise Http404 from None
        return Response(MilestoneSerializer(milestone).data)


class ProgressUpdateView(_ProjectSubView):
    """A progress note with its percentage; ``draft_to_cases`` stores it as each open linked case's
    feedback draft (no case is fed back or closed by it)."""

    @extend_schema(request=ProgressUpdateSerializer, responses={201: ProjectUpdateItemSerializer})
    def post(self, request, pk: int):
        project = self.project(request, pk)
        body = ProgressUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        update = progress_update(by=request.user, project=project, request=request, **body.validated_data)
        return Response(ProjectUpdateItemSerializer(update).data, status=status.HTTP_201_CREATED)


class _SimilarQuery(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=50, required=False, default=10)


class SimilarCasesView(APIView):
    """Alike cases (same category, alike title) the caller may see, best first, with their score."""

    @extend_schema(
        parameters=[OpenApiParameter("limit", OpenApiTypes.INT, description="1–50, default 10")],
        responses={200: SimilarPageSerializer},
    )
    def get(self, request, pk: int):
        query = _SimilarQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        case = cases_visible_to(request.user).filter(pk=pk).first()
        if case is None:
            raise Http404
        results = []
        for similar, score in similar_cases(request.user, case, limit=query.validated_data["limit"]):
            similar.score = score
            results.append(SimilarCaseSerializer(similar).data)
        return Response({"count": len(results), "next": None, "previous": None, "results": results})


class ProjectInstructionView(APIView):
    """A leader's instruction (批示) on a project they can see: 201 with it; 404 outside the leader's
    scope, 403 for any other role, 400 for empty or too long content. The lead unit and the city office hear of it."""

    @extend_schema(request=InstructionSerializer, responses={201: InstructionBriefSerializer})
    def post(self, request, pk: int):
        body = InstructionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            instruction = project_instruction(project_id=pk, by=request.user, request=request, **body.validated_data)
        except Project.DoesNotExist:
            raise Http404 from None
        return Response(InstructionBriefSerializer(instruction).data, status=status.HTTP_201_CREATED)
