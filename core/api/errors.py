"""API errors in the shapes API.md promises."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.db import is_unavailable
from core.errors import StateConflict


class ServiceUnavailable(exceptions.APIException):
    """The database went away mid-request (restart, failover): nothing was committed, try again."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("The service is briefly unavailable; nothing was saved. Please try again.")
    default_code = "unavailable"


class Conflict(exceptions.APIException):
    """The object's state does not allow the action now (409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The object changed; reload it and try again."
    default_code = "conflict"

    def __init__(self, detail=None, *, current_status: str | None = None):
        super().__init__(detail)
        self.current_status = current_status


def exception_handler(exc, context):
    """The one place domain errors become HTTP answers for the API: a missing or out-of-scope
    object 404, a role that may not 403 (with its reason), a state that does not allow it 409,
    bad input 400, a lost database 503."""
    if isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound()
    elif isinstance(exc, StateConflict):
        exc = Conflict(exc.explain(), current_status=exc.status)
    elif isinstance(exc, PermissionDenied) and str(exc):
        exc = exceptions.PermissionDenied(str(exc))
    elif isinstance(exc, DjangoValidationError):
        # Services raise Django's ValidationError; answer it as a 400 with
        # field errors, like a serializer would.
        if hasattr(exc, "error_dict"):
            detail = {field: [str(m) for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
            detail = {("non_field_errors" if k == "__all__" else k): v for k, v in detail.items()}
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        exc = exceptions.ValidationError(detail)
    elif is_unavailable(exc):
        # A lost connection is the server's trouble, not a bug: say so and let
        # the client (the diary outbox) retry with its Idempotency-Key.
        exc = ServiceUnavailable()
    elif isinstance(exc, exceptions.ParseError):
        # A body that is not JSON at all is bad input like any other: 400 with field errors.
        exc = exceptions.ValidationError({"non_field_errors": [str(exc.detail)]})
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ServiceUnavailable):
        response["Retry-After"] = "5"
    if response is not None and isinstance(exc, Conflict):
        response.data = {"detail": str(exc.detail), "status": exc.current_status}
    return response


def conflict_response(detail: str, current_status: str | None) -> Response:
    return Response({"detail": detail, "status": current_status}, status=status.HTTP_409_CONFLICT)
