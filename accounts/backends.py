from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from accounts import lockout


class LockoutModelBackend(ModelBackend):
    """The model backend inside the sign-in limits of accounts.lockout (per account and per address)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username is None or password is None:
            return None
        # Counted before the password is checked, so attempts in flight count (accounts.lockout).
        if refusal := lockout.attempt_begin(username, request=request):
            if request is not None:
                request.login_refusal = refusal  # the form or view says why; accounts.auditing logs it as "locked"
            # PermissionDenied stops Django trying other backends: a locked account cannot be opened even
            # with the right password. Django still sends user_login_failed, so the attempt is audited.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            refusal = lockout.attempt_failed(username, request=request)
            if refusal is not None and request is not None:
                request.login_refusal = refusal  # this failure set the lock: say so now
        else:
            lockout.attempt_succeeded(username, request=request)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
