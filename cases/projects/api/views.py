"""Projects (民生项目) and similar cases (API.md)."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api.serializers import InstructionBriefSerializer, InstructionSerializer
from cases.models import Case, Project
from cases.projects.api.serializers import (
    ProjectCreateSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    SimilarCaseSerializer,
    SimilarPageSerializer,
)
from cases.projects.selectors import projects_with_visible_cases
from cases.projects.similar import similar_cases
from cases.selectors import cases_visible_to
from cases.services.instructions import project_instruction
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
    serializer_class = ProjectSerializer

    def get_queryset(self):
        return projects_with_visible_cases(self.request.user)

    @extend_schema(request=ProjectUpdateSerializer, responses={200: ProjectSerializer})
    def patch(self, request, pk: int):
        project = self.get_object()
        body = ProjectUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project_update(by=request.user, project=project, **body.validated_data)
        return Response(ProjectSerializer(self.get_queryset().get(pk=pk)).data)


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
