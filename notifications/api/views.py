"""The caller's inbox: list, unread count, mark read. Someone else's notice is a 404."""

import django_filters
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.api.serializers import MarkedSerializer, NotificationSerializer, UnreadCountSerializer
from notifications.models import Notification
from notifications.selectors import notifications_of, unread_count
from notifications.services import notification_mark_read, notifications_mark_all_read


class NotificationFilter(django_filters.FilterSet):
    # Strict: anything but true/false/1/0 is a 400, not silently "all".
    unread = django_filters.TypedChoiceFilter(
        choices=[(value, value) for value in ("true", "false", "1", "0")],
        coerce=lambda value: value in ("true", "1"),
        method="filter_unread",
        label="unread",
    )

    class Meta:
        model = Notification
        fields = ["unread", "kind"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)


class NotificationListView(generics.ListAPIView):
    """The caller's notices, newest first; ``?unread=true`` for the unread ones only."""

    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def get_queryset(self):
        return notifications_of(self.request.user)


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        try:
            notification = notification_mark_read(user=request.user, notification_id=pk)
        except Notification.DoesNotExist:
            raise Http404 from None
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    @extend_schema(request=None, responses=MarkedSerializer)
    def post(self, request: Request) -> Response:
        return Response({"marked": notifications_mark_all_read(user=request.user)})


class UnreadCountView(APIView):
    @extend_schema(responses=UnreadCountSerializer)
    def get(self, request: Request) -> Response:
        return Response({"unread": unread_count(request.user)})
