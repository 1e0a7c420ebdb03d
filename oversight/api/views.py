"""督办单 (API.md, "Oversight"): list and issue, read, sign for, answer."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboards.forms import default_stats_form, month_bounds
from dashboards.selection import area_of
from oversight.api.serializers import (
    IssuedSerializer,
    IssueSerializer,
    OrderReplySerializer,
    OrderSerializer,
    ScoreRowSerializer,
)
from oversight.forms import OrderFilterForm, ScoreQueryForm
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


class ScoresView(APIView):
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
