"""Stats, rankings and hotspots (API.md); projects and similar cases are the cases app's (cases.projects.api)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboards.api.serializers import HotspotSerializer
from dashboards.forms import MapForm, MonthForm, StatsFilterForm, month_bounds
from dashboards.mapdata import FIGURES, map_answer
from dashboards.metrics import Metrics
from dashboards.models import Hotspot, HotspotKind
from dashboards.rankings import rankings
from dashboards.selection import Area, area_of
from dashboards.selectors import can_see_hotspots, hotspots_visible_to
from minqing.routers import ReplicaAPIMixin


def _form_errors(form) -> dict:
    return {field: [str(m) for m in messages] for field, messages in form.errors.items()}


STATS_PARAMS = [
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="first day (default: 1 January of date_to's year)"),
    OpenApiParameter("date_to", OpenApiTypes.DATE, description="last day (default: today)"),
    OpenApiParameter("township", OpenApiTypes.INT),
    OpenApiParameter("unit", OpenApiTypes.INT),
]


class StatsOverviewView(ReplicaAPIMixin, APIView):
    """Every figure of METRICS.md for a period, within what the caller may see."""

    @extend_schema(parameters=STATS_PARAMS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        form = StatsFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        return Response(Metrics(form.selection(), total_only=True).overview())


class MapView(ReplicaAPIMixin, APIView):
    """一张图: one figure per township, the outlines, located visits and cases (latest POINT_CAP), hotspot pins."""

    @extend_schema(
        parameters=[OpenApiParameter("figure", OpenApiTypes.STR, enum=list(FIGURES)), *STATS_PARAMS],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        _area_dashboard_user(request.user)
        form = MapForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise ValidationError(_form_errors(form))
        return Response(map_answer(request.user, form.selection(), form.cleaned_data["figure"], form.params()))


def _area_dashboard_user(user) -> Area:
    area = area_of(user)
    if not area.shows_dashboards:
        raise PermissionDenied
    return area


class RankingsView(ReplicaAPIMixin, APIView):
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


@extend_schema(
    parameters=[OpenApiParameter("kind", OpenApiTypes.STR, enum=HotspotKind.values, description="one kind only")]
)
class HotspotListView(ReplicaAPIMixin, generics.ListAPIView):
    """Clusters of the caller's city with their cases: hotspots by surge ratio, then the 常态问题 (recurring)."""

    serializer_class = HotspotSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Hotspot.objects.none()
        if not can_see_hotspots(self.request.user):
            raise PermissionDenied
        kind = self.request.query_params.get("kind") or None
        if kind is not None and kind not in HotspotKind.values:
            raise ValidationError({"kind": [_("Choose one of: %(kinds)s.") % {"kinds": ", ".join(HotspotKind.values)}]})
        return hotspots_visible_to(self.request.user, kind=kind)
