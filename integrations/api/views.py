"""POST /api/v1/inbound/orders/: a platform's order in, our order number and case out."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from integrations.api.serializers import OrderAnswerSerializer, OrderSerializer
from integrations.auth import IsPlatform, SignatureAuthentication
from integrations.models import InboundOrder
from integrations.services import order_receive

HEADERS = [
    OpenApiParameter("X-Minqing-Source", str, OpenApiParameter.HEADER, required=True, description="The platform's code."),
    OpenApiParameter("X-Minqing-Timestamp", str, OpenApiParameter.HEADER, required=True, description="Unix seconds."),
    OpenApiParameter(
        "X-Minqing-Signature", str, OpenApiParameter.HEADER, required=True,
        description='hex HMAC-SHA256(secret, timestamp + "." + raw body)',
    ),
]  # fmt: skip


class InboundOrderView(APIView):
    """Receive an order from 12345 / 基层治理四平台, signed with the platform's secret:

        X-Minqing-Signature = hex(HMAC-SHA256(secret, X-Minqing-Timestamp + "." + raw body))

    401 for a missing header, an unknown platform, a wrong signature, a timestamp more than 300 s
    away or a signature seen before. 201 the first time, 200 for the same (platform, external_id)
    again; 202 when the category is not mapped yet (the order waits in the admin's queue).
    """

    authentication_classes = [SignatureAuthentication]
    permission_classes = [IsPlatform]

    @extend_schema(
        request=OrderSerializer, parameters=HEADERS,
        responses={200: OrderAnswerSerializer, 201: OrderAnswerSerializer, 202: OrderAnswerSerializer},
    )  # fmt: skip
    def post(self, request: Request) -> Response:
        serializer = OrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order, created = order_receive(source=request.auth, data=serializer.validated_data)
        answer = {"order": order.pk, "case": order.case.code if order.case_id else None, "status": order.status}
        if not created:
            code = status.HTTP_200_OK
        elif order.status == InboundOrder.Status.AWAITING_MAPPING:
            code = status.HTTP_202_ACCEPTED
        else:
            code = status.HTTP_201_CREATED
        return Response(answer, status=code)
