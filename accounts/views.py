from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import services, sso, twofactor
from accounts.forms import OTPForm
from accounts.passwords import password_expired
from audit.services import audit_log


class LoginView(auth_views.LoginView):
    """The password sign-in as Django has it, with a button per single sign-on provider (accounts.sso)."""

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "sso_providers": list(sso.providers().values()),
            "dingtalk_corp_id": sso.in_app_corp_id(),
            "dingtalk_client_id": settings.DINGTALK["client_id"],
        }


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "password_expired": password_expired(self.request.user),
            "password_expiry_days": settings.PASSWORD_EXPIRY_DAYS,
        }

    def form_valid(self, form):
        response = super().form_valid(form)
        services.user_password_changed(user=self.request.user, request=self.request)
        return response


def _next(request) -> str:
    """Where to go once the second factor is done: the page first asked for, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def twofactor_verify(request):
    """After the password, the code of the user's app (or a recovery code)."""
    state = request.session.get(twofactor.SESSION_KEY)
    if state == twofactor.ENROL:
        return redirect("twofactor_setup")
    if state != twofactor.VERIFY:
        return redirect(_next(request))
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.match(request.user, form.cleaned_data["code"])
        if device is not None:
            twofactor.session_verified(request, device)
            audit_log(action="otp_verified", user=request.user, request=request)
            return redirect(_next(request))
        audit_log(action="otp_failed", user=request.user, outcome="failed", request=request)
        form.add_error("code", _("Wrong or expired code. Enter the code your app shows now (wait for a new one)."))
    return render(request, "registration/twofactor_verify.html", {"form": form, "next": _next(request)})


@login_required
@require_http_methods(["GET", "POST"])
def twofactor_setup(request):
    """Enrolment: the QR code and the secret of a new TOTP device, then a code from the app to confirm it."""
    if twofactor.has_device(request.user):
        if request.session.get(twofactor.SESSION_KEY) == twofactor.VERIFY:
            return redirect("twofactor_verify")
        # Replacing a device is an admin's job, once the person proved who they are.
        return render(request, "registration/twofactor_enrolled.html")
    device = services.user_totp_start(user=request.user)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.user_totp_confirm(
            user=request.user, device=device, code=form.cleaned_data["code"], request=request
        )
        if codes is not None:
            twofactor.session_verified(request, device)
            # Shown once: the page is not kept (Cache-Control) and the codes are never shown again.
            response = render(request, "registration/twofactor_codes.html", {"codes": codes, "next": _next(request)})
            response["Cache-Control"] = "no-store"
            return response
        form.add_error("code", _("Wrong or expired code. Enter the code your app shows now (wait for a new one)."))
    context = {
        "form": form,
        "next": _next(request),
        "required": twofactor.required(request.user),
        "qr_svg": twofactor.qr_svg(device),
        "secret": twofactor.secret_text(device),
        "uri": device.config_url,
    }
    response = render(request, "registration/twofactor_setup.html", context)
    response["Cache-Control"] = "no-store"  # the secret is on this page
    return response
