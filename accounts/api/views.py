import django_filters
from django.contrib.auth import authenticate, logout
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import lockout, services, twofactor
from accounts.api.permissions import FORCED_CHANGE_MESSAGE
from accounts.api.serializers import (
    ApiTokenSerializer,
    MeSerializer,
    OrgUnitSerializer,
    StationSerializer,
    TokenRequestSerializer,
    TokenSerializer,
)
from accounts.forms import locked_message
from accounts.models import ApiToken, OrgKind, OrgUnit, StationAssignment
from accounts.selectors import api_tokens_of, assignments_active_for, org_units_visible_to


class TokenView(APIView):
    """Exchange a username and password for a new API token (one per device; earlier ones stay valid)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenSerializer})
    def post(self, request):
        body = TokenRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = authenticate(request, username=data["username"], password=data["password"])
        if user is None:
            if refusal := lockout.refusal(request):
                raise exceptions.PermissionDenied(locked_message(refusal))
            raise serializers.ValidationError({"non_field_errors": [_("Wrong username or password.")]})
        if user.must_change_password:
            raise exceptions.PermissionDenied(FORCED_CHANGE_MESSAGE)
        if second := twofactor.token_refusal(user, data.get("otp")):
            raise exceptions.PermissionDenied(second)
        token, key = services.api_token_issue(user=user, device=data.get("device", ""), request=request)
        return Response(TokenSerializer({"token": key, "expiry": token.expiry}).data)


class LogoutView(APIView):
    """End the credential of this request: the token (other devices keep theirs), or the browser session."""

    # Open during a forced password change: signing out is always allowed.
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            services.api_token_revoke(token=request.auth, by=request.user, request=request)
        else:
            logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenListView(generics.ListAPIView):
    """The caller's live tokens, newest first (never the keys)."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return ApiToken.objects.none()
        return api_tokens_of(self.request.user)


class ApiTokenDetailView(generics.DestroyAPIView):
    """Revoke one of the caller's tokens; anyone else's is 404."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return api_tokens_of(self.request.user)

    def perform_destroy(self, instance: ApiToken) -> None:
        services.api_token_revoke(token=instance, by=self.request.user, request=self.request)


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
