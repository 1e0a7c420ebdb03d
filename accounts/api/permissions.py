"""API permissions that hold for every route (REST_FRAMEWORK's DEFAULT_PERMISSION_CLASSES)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

# The API cannot show the change form, so it names where to go. Also the answer of the token
# endpoint and of core.middleware.ForcePasswordChangeMiddleware for session calls under /api/.
FORCED_CHANGE_MESSAGE = _(
    "An administrator asked you to choose a new password. Change it on the sign-in page first, then sign in again."
)


class PasswordChangeNotPending(permissions.BasePermission):
    """A user whose password an admin marked for change may do nothing through the API until it is changed
    (the pages send them to the change form; ``auth/logout/`` stays open)."""

    message = FORCED_CHANGE_MESSAGE

    def has_permission(self, request, view) -> bool:
        return not getattr(request.user, "must_change_password", False)
