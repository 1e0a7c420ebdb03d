from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import lockout


def locked_message(until) -> str:
    return gettext("Too many failed sign-ins. This account is locked until %(time)s; try again then.") % {
        "time": timezone.localtime(until).strftime("%H:%M")
    }


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )

    def clean(self):
        username = self.cleaned_data.get("username")
        until = lockout.locked_until(username)
        if until:
            raise forms.ValidationError(locked_message(until), code="locked")
        try:
            return super().clean()
        except forms.ValidationError:
            until = lockout.locked_until(username)
            if until:
                raise forms.ValidationError(locked_message(until), code="locked") from None
            raise
