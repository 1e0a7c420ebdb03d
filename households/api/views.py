"""The ledger's API: records in the caller's scope (households_visible_to), their timeline."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from audit.services import audit_log
from households.api.filters import HouseholdFilter
from households.api.serializers import HouseholdSerializer, HouseholdWriteSerializer, TimelineItemSerializer
from households.models import Household
from households.selectors import household_timeline, households_visible_to, may_see_phone, may_see_tags
from households.services import household_create, household_update

_errors = inline_serializer(
    "HouseholdFieldErrors", fields={"field": serializers.ListField(child=serializers.CharField())}
)


def record_payload(request, record: Household) -> dict:
    """One record as its keepers see it; a phone shown in full is written to the audit trail (like a case's)."""
    phones = may_see_phone(request.user, record)
    if phones and record.phone:
        audit_log(action="view_personal_data", user=request.user, obj=record, request=request,
                  detail={"fields": ["phone"]})  # fmt: skip
    context = {"request": request, "phones": phones, "tags": may_see_tags(request.user)}
    return HouseholdSerializer(record, context=context).data


def _body(request, instance=None) -> dict:
    if not isinstance(request.data, dict):
        raise serializers.ValidationError({"non_field_errors": [_("Send the record as a JSON object.")]})
    body = HouseholdWriteSerializer(instance=instance, data=request.data, partial=instance is not None)
    body.is_valid(raise_exception=True)
    return dict(body.validated_data)


@extend_schema_view(
    post=extend_schema(request=HouseholdWriteSerializer, responses={201: HouseholdSerializer, 400: _errors})
)
class HouseholdListView(generics.ListCreateAPIView):
    """Records in the caller's scope, by station, address and name; POST adds one to a station the caller serves."""

    serializer_class = HouseholdSerializer
    filterset_class = HouseholdFilter

    def get_queryset(self):
        return households_visible_to(self.request.user).prefetch_related("tags")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        # Lists always mask phones: nobody needs a village's numbers at once (the record's page shows one).
        context = {**self.get_serializer_context(), "phones": False, "tags": may_see_tags(request.user)}
        return self.get_paginated_response(HouseholdSerializer(page, many=True, context=context).data)

    def create(self, request, *args, **kwargs):
        data = _body(request)
        station = data.pop("station")
        tags = data.pop("tags", ())
        record = household_create(by=request.user, station=station, tags=tags, request=request, **data)
        return Response(record_payload(request, record), status=status.HTTP_201_CREATED)


@extend_schema_view(
    patch=extend_schema(request=HouseholdWriteSerializer, responses={200: HouseholdSerializer, 400: _errors})
)
class HouseholdDetailView(generics.GenericAPIView):
    serializer_class = HouseholdSerializer

    def get_queryset(self):
        return households_visible_to(self.request.user).prefetch_related("tags")

    def get(self, request, pk: int):
        return Response(record_payload(request, self.get_object()))

    def patch(self, request, pk: int):
        record = self.get_object()  # scope before the body: ids cannot be probed
        data = _body(request, instance=record)
        tags = data.pop("tags", None)
        household_update(by=request.user, record=record, tags=tags, request=request, **data)
        return Response(record_payload(request, self.get_queryset().get(pk=record.pk)))


class HouseholdTimelineView(generics.GenericAPIView):
    """The record's visits and cases, newest first: those the caller may open themselves."""

    serializer_class = TimelineItemSerializer
    pagination_class = None

    def get_queryset(self):
        return households_visible_to(self.request.user)

    @extend_schema(
        responses={200: TimelineItemSerializer(many=True)},
        parameters=[OpenApiParameter("pk", OpenApiTypes.INT, OpenApiParameter.PATH)],
    )
    def get(self, request, pk: int):
        record = self.get_object()
        return Response(TimelineItemSerializer(household_timeline(request.user, record), many=True).data)
