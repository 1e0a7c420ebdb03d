from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts import lockout


class LockoutModelBackend(ModelBackend):
    """The model backend, refusing locked accounts and counting failures."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if lockout.locked_until(username):
            # PermissionDenied stops Django trying other backends: a locked
            # account cannot be opened even with the right password.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            lockout.register_failure(username, request=request)
        else:
            lockout.reset(username)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
