import datetime

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import lockout


def locked_message(refusal: "lockout.Refusal | datetime.datetime") -> str:
    """What a refused sign-in is told: why, and until when (a bare datetime is an account lock)."""
    if isinstance(refusal, datetime.datetime):
        refusal = lockout.Refusal(lockout.ACCOUNT, refusal)
    time = timezone.localtime(refusal.until).strftime("%H:%M")
    if refusal.reason == lockout.ADDRESS:
        return gettext(
            "Too many failed sign-ins from your network address. Sign-ins from it are refused until %(time)s; "
            "try again then."
        ) % {"time": time}
    return gettext("Too many failed sign-ins. This account is locked until %(time)s; try again then.") % {"time": time}


class LockoutMessageMixin:
    """Says "locked until …" instead of "wrong password" when the sign-in limits refused the attempt."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if refusal := lockout.refusal(self.request):
                raise forms.ValidationError(locked_message(refusal), code="locked") from None
            raise


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )


class AdminLoginForm(LockoutMessageMixin, AdminAuthenticationForm):
    """The admin's login form (core.admin_site), with the same limits' messages as the login page."""


class OTPForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"}
        ),
        help_text=_("The 6 digits your authenticator app shows now, or one of your recovery codes."),
    )
