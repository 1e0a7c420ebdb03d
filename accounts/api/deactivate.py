"""POST /api/v1/users/{id}/deactivate/: the admin's 停用 with its handover, for admins and township staff."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.handover import deactivation_scope, user_deactivate
from accounts.models import User
from accounts.roles import Role
from accounts.scope import scope_of


class DeactivateSerializer(serializers.Serializer):
    successor = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class DeactivatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    is_active = serializers.BooleanField()
    successor = serializers.IntegerField(allow_null=True)
    cases = serializers.ListField(child=serializers.IntegerField())
    assignments_started = serializers.ListField(child=serializers.IntegerField())


def _problem(error: ValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for e in errors for m in e.messages] for field, errors in error.error_dict.items()}
    return {"non_field_errors": [str(m) for m in error.messages]}


class UserDeactivateView(APIView):
    """Deactivate a user; one who holds stations or open cases names the officer who takes them over."""

    @extend_schema(request=DeactivateSerializer, responses={200: DeactivatedSerializer})
    def post(self, request, pk: int):
        me = request.user
        if not (scope_of(me).everything or me.has_role(Role.TOWNSHIP_STAFF)):
            raise exceptions.PermissionDenied(_("Only administrators and township staff deactivate officers."))
        person = User.objects.filter(pk=pk, is_active=True).select_related("org_unit").first()
        if person is None or not deactivation_scope(me, person):
            raise Http404
        body = DeactivateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        successor = None
        if body.validated_data.get("successor") is not None:
            successor = User.objects.filter(pk=body.validated_data["successor"]).first()
            if successor is None:
                raise serializers.ValidationError({"successor": [_("No such officer.")]})
        try:
            done = user_deactivate(person=person, successor=successor, by=me, request=request)
        except ValidationError as error:
            raise serializers.ValidationError(_problem(error)) from error
        data = {
            "id": person.pk,
            "is_active": False,
            "successor": successor.pk if successor else None,
            "cases": done.cases,
            "assignments_started": done.started,
        }
        return Response(DeactivatedSerializer(data).data)
