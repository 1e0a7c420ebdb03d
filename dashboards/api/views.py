"""Stats, rankings, hotspots, projects and similar cases (API.md)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import Case
from cases.selectors import cases_visible_to
from cases.services.core import ActionForbidden
from cases.services.projects import project_create, project_update
from cases.transitions import TransitionNotAllowed
from core.api.errors import Conflict
from dashboards.api.serializers import (
    HotspotSerializer,
    ProjectCreateSerializer,
    ProjectSerializer,
    ProjectUpdateSerializer,
    SimilarCaseSerializer,
    SimilarPageSerializer,
)
from dashboards.forms import MonthForm, StatsFilterForm, month_bounds
from dashboards.metrics import Metrics
from dashboards.models import Hotspot
from dashboards.rankings import rankings
from dashboards.selection import Area, area_of
from dashboards.selectors import can_see_hotspots, hotspots_visible_to, projects_visible_to
from dashboards.similar import similar_cases


def _form_errors(form) -> dict:
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


STATS_PARAMS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="first day (default: 1 January of date_to's year)"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="last day (default: today)"),
    OpenApiParameter("township", OpenApiTypes.INT),
    OpenApiParameter("unit", OpenApiTypes.INT),
]


class StatsOverviewView(APIView):
    """Every figure of METRICS.md for a period, within what the caller may see."""

    @extend_schema(parameters=STATS_PARAMS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        form = StatsFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        return Response(Metrics(form.selection(), total_only=True).overview())


def _area_dashboard_user(user) -> Area:
    area = area_of(user)
    if not (area.everything or area.city_ids or area.township_ids):
        raise PermissionDenied
    return area


class RankingsView(APIView):
    """奔跑奖 / 蜗牛奖 of a month for the units the caller's city or township dispatched to."""

    @extend_schema(
        parameters=[OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM (default: last month)")],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        _area_dashboard_user(request.user)
        month = MonthForm(request.query_params)
        stats = StatsFilterForm({}, user=request.user)
        if not month.is_valid():
            raise ValidationError(_form_errors(month))
        stats.is_valid()
        first, last = month_bounds(month.cleaned_data["month"])
        answer = rankings(stats.selection().with_period(first, last))
        return Response({"month": first.strftime("%Y-%m"), **answer})


class HotspotListView(generics.ListAPIView):
    """Hotspots of the caller's city, most townships first, with their cases."""

    serializer_class = HotspotSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Hotspot.objects.none()
        if not can_see_hotspots(self.request.user):
            raise PermissionDenied
        return hotspots_visible_to(self.request.user)


def _with_visible_cases(projects, user):
    visible = cases_visible_to(user).only("id", "project_id").order_by("id")
    return projects.prefetch_related(Prefetch("cases", queryset=visible, to_attr="visible_cases"))


class ProjectListView(generics.ListCreateAPIView):
    """Projects (民生项目) the caller can see; the city office creates one from a list of cases."""

    serializer_class = ProjectSerializer

    def get_queryset(self):
        return _with_visible_cases(projects_visible_to(self.request.user), self.request.user).order_by(
            "-created_at", "-id"
        )

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer})
    def post(self, request):
        body = ProjectCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            project = project_create(by=request.user, **body.validated_data)
        except ActionForbidden as exc:
            raise PermissionDenied(str(exc)) from exc
        except Case.DoesNotExist as exc:
            raise ValidationError({"case_ids": ["Unknown case."]}) from exc
        except TransitionNotAllowed as exc:
            raise Conflict("A closed case cannot be linked to a project.", current_status=exc.status) from exc
        project = _with_visible_cases(projects_visible_to(request.user), request.user).get(pk=project.pk)
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)


class ProjectDetailView(generics.RetrieveAPIView):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        return _with_visible_cases(projects_visible_to(self.request.user), self.request.user)

    @extend_schema(request=ProjectUpdateSerializer, responses={200: ProjectSerializer})
    def patch(self, request, pk: int):
        project = self.get_object()
        body = ProjectUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            project_update(by=request.user, project=project, **body.validated_data)
        except ActionForbidden as exc:
            raise PermissionDenied(str(exc)) from exc
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
