import django_filters
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import lockout
from accounts.api.serializers import (
    MeSerializer,
    OrgUnitSerializer,
    StationSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from accounts.forms import locked_message
from accounts.models import OrgKind, OrgUnit, StationAssignment
from accounts.selectors import assignments_active_for, org_units_visible_to
from audit.services import audit_log


class TokenView(APIView):
    """Exchange a username and password for an API token."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = authenticate(request, **body.validated_data)
        if user is None:
            if refusal := lockout.refusal(request):
                raise exceptions.PermissionDenied(locked_message(refusal))
            raise serializers.ValidationError({"non_field_errors": [_("Wrong username or password.")]})
        audit_log(action="token_issued", user=user, request=request)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(generics.RetrieveAPIView):
    serializer_class = MeSerializer

    def get_object(self):
        return self.request.user


class OrgUnitFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=OrgKind.choices)
    parent = django_filters.NumberFilter(field_name="parent_id")
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = OrgUnit
        fields = ["kind", "parent", "q"]


class OrgUnitListView(generics.ListAPIView):
    serializer_class = OrgUnitSerializer
    filterset_class = OrgUnitFilter

    def get_queryset(self):
        return org_units_visible_to(self.request.user).order_by("sort_order", "code")


class StationListView(generics.ListAPIView):
    """The caller's active station assignments (an officer's diary choices)."""

    serializer_class = StationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return StationAssignment.objects.none()
        return assignments_active_for(self.request.user)
