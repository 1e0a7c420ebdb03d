"""督办单 (API.md, "Oversight"): list and issue, read, sign for, answer; 申诉: file and decide."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.actions.base import ActionForbidden
from dashboards.forms import default_stats_form, month_bounds
from dashboards.selection import area_of
from minqing.routers import ReplicaAPIMixin
from oversight.api.serializers import (
    AppealDecisionSerializer,
    AppealFileSerializer,
    AppealSerializer,
    IssuedSerializer,
    IssueSerializer,
    OrderReplySerializer,
    OrderSerializer,
    ScoreRowSerializer,
)
from oversight.appeals import appeal_decide, appeal_file, appeals_visible_to, for_list, may_file, require_decider
from oversight.forms import OrderFilterForm, ScoreQueryForm
from oversight.models import ScoreAppeal
from oversight.scores import scores
from oversight.selectors import orders_for_list, orders_visible_to
from oversight.services import order_issue, order_reply, order_sign, require_unit

_FILTERS = [
    OpenApiParameter("level", OpenApiTypes.STR, enum=["urge", "supervise", "listed"]),
    OpenApiParameter("state", OpenApiTypes.STR, enum=["unsigned", "signed", "replied", "overdue"]),
    OpenApiParameter("unit", OpenApiTypes.INT),
    OpenApiParameter("year", OpenApiTypes.INT),
    OpenApiParameter("case", OpenApiTypes.INT),
]


def _answer(request, pk: int, code: int = status.HTTP_200_OK) -> Response:
    order = orders_for_list(orders_visible_to(request.user)).get(pk=pk)
    return Response(OrderSerializer(order).data, status=code)


class OrderListView(generics.ListCreateAPIView):
    """The 督办单 the caller can see, newest first; the city office issues one on a case."""

    serializer_class = OrderSerializer

    def get_queryset(self):
        filters = OrderFilterForm(self.request.query_params)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        return filters.apply(orders_for_list(orders_visible_to(self.request.user)))

    @extend_schema(parameters=_FILTERS)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=IssueSerializer, responses={201: IssuedSerializer})
    def post(self, request, *args, **kwargs):
        body = IssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        issued = order_issue(by=request.user, case_id=data["case"], level=data["level"], content=data["content"],
                             reply_by=data["reply_by"], request=request)  # fmt: skip
        order = orders_for_list(orders_visible_to(request.user)).get(pk=issued.order.pk)
        order.reply_by_moved = issued.reply_by_moved
        return Response(IssuedSerializer(order).data, status=status.HTTP_201_CREATED)


class OrderDetailView(generics.RetrieveAPIView):
    serializer_class = OrderSerializer

    def get_queryset(self):
        return orders_for_list(orders_visible_to(self.request.user))


class OrderSignView(APIView):
    """The unit the order was sent to signs for it."""

    @extend_schema(request=None, responses={200: OrderSerializer})
    def post(self, request, pk: int):
        order_sign(by=request.user, order_id=pk, request=request)
        return _answer(request, pk)


class OrderReplyView(APIView):
    """The unit answers in writing, after signing for it."""

    @extend_schema(request=OrderReplySerializer, responses={200: OrderSerializer})
    def post(self, request, pk: int):
        # Scope and role come before the body: an outsider learns nothing from a bad one.
        require_unit(request.user, orders_visible_to(request.user).get(pk=pk))
        body = OrderReplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order_reply(by=request.user, order_id=pk, content=body.validated_data["content"], request=request)
        return _answer(request, pk)


class ScoresView(ReplicaAPIMixin, APIView):
    """考核 of a month per responsible unit or township, within the caller's area (who sees the rankings)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM (default: last month)"),
            OpenApiParameter("kind", OpenApiTypes.STR, enum=["unit", "township"], description="default: unit"),
        ],
        responses={200: ScoreRowSerializer(many=True)},
    )
    def get(self, request):
        area = area_of(request.user)
        if not area.shows_dashboards:
            raise PermissionDenied
        form = ScoreQueryForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({f: [str(m) for m in messages] for f, messages in form.errors.items()})
        first, last = month_bounds(form.cleaned_data["month"])
        rows = scores(default_stats_form(request.user).selection().with_period(first, last), form.cleaned_data["kind"])
        return Response(ScoreRowSerializer(rows, many=True).data)


class AppealListView(generics.ListCreateAPIView):
    """申诉 the caller can see (the city office its city's, a unit its own); a unit handler files one."""

    serializer_class = AppealSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator asks with no one signed in
            return ScoreAppeal.objects.none()
        return for_list(appeals_visible_to(self.request.user))

    @extend_schema(request=AppealFileSerializer, responses={201: AppealSerializer})
    def post(self, request, *args, **kwargs):
        if not may_file(request.user):
            raise ActionForbidden(_("Only a handler of a responsible unit files a score appeal."))
        body = AppealFileSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        year, month = (int(x) for x in data["month"].split("-"))
        appeal = appeal_file(by=request.user, case_id=data["case"], month=datetime.date(year, month, 1),
                             reason=data["reason"], request=request)  # fmt: skip
        return Response(AppealSerializer(self.get_queryset().get(pk=appeal.pk)).data, status=status.HTTP_201_CREATED)


class AppealDecisionView(APIView):
    """The city office upholds or rejects (a note says why)."""

    @extend_schema(request=AppealDecisionSerializer, responses={200: AppealSerializer})
    def post(self, request, pk: int):
        # Scope and role come before the body: an outsider learns nothing from a bad one.
        appeals_visible_to(request.user).get(pk=pk)
        require_decider(request.user)
        body = AppealDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appeal_decide(by=request.user, appeal_id=pk, uphold=body.validated_data["uphold"],
                      note=body.validated_data["note"], request=request)  # fmt: skip
        return Response(AppealSerializer(for_list(appeals_visible_to(request.user)).get(pk=pk)).data)
