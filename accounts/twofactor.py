"""Second factor (MLPS 2.0 level 3, ASVS 2.7/2.8): a TOTP app, with one-time recovery codes beside it.

Devices are django-otp's (TOTPDevice, StaticDevice). Whether a session still
owes its second factor is decided once, at the sign-in (Django's
user_logged_in, whichever door: login page, admin login), and kept in the
session, so accounts.middleware.TwoFactorMiddleware answers every later
request from the session alone, without a query:

- ``VERIFY``: the user has a device; the code is asked before any page;
- ``ENROL``: the user's role requires a second factor and there is no device
  yet; enrolment comes before any page;
- ``DONE``: verified, or neither applies.

The API's token endpoint asks for the code through ``token_refusal``.
"""

from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

SESSION_KEY = "twofactor"
VERIFY, ENROL, DONE = "verify", "enrol", "done"


def required(user) -> bool:
    """Whether the user's roles require a second factor (settings.TWO_FACTOR_REQUIRED_ROLES)."""
    roles = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    if user.is_superuser and "admin" in roles:
        return True
    return bool(roles) and user.has_role(*roles)


def has_device(user) -> bool:
    from django_otp import user_has_device

    return user_has_device(user, confirmed=True)


def state_for(user) -> str:
    if has_device(user):
        return VERIFY
    return ENROL if required(user) else DONE


def session_start(request, user) -> str:
    """Decide at a sign-in what the session still owes."""
    state = state_for(user)
    request.session[SESSION_KEY] = state
    return state


def session_verified(request, device=None) -> None:
    """The second factor was given (or a device was just enrolled with a code): the session is whole."""
    import django_otp

    if device is not None:
        django_otp.login(request, device)  # remembers which device, as django-otp's own views do
    request.session[SESSION_KEY] = DONE


def match(user, code: str | None):
    """The device of ``user`` that accepts ``code`` (a TOTP code or an unused recovery code), else None.

    Each device throttles its own failures (django-otp's ThrottlingMixin: the wait doubles after each), and
    a recovery code is deleted once used. Rows are locked so one code cannot be spent twice at once.
    """
    from django_otp import devices_for_user

    code = "".join((code or "").split()).lower()
    if not code:
        return None
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if device.verify_token(code):
                return device
    return None


def token_refusal(user, otp_code: str | None) -> str | None:
    """For the API's token endpoint, after the password was right: why no token is issued yet, or None.

    A user with a device must send its code; a user whose role requires a second factor and has none must
    enrol on the website first (an API client cannot show a QR code).
    """
    if not has_device(user):
        if required(user):
            return _("Your role signs in with a second factor: enrol an authenticator app on the website first.")
        return None
    if not (otp_code or "").strip():
        return _("Enter the code of your authenticator app (otp_code).")
    if match(user, otp_code) is None:
        return _("Wrong or expired code. Enter the code your authenticator app shows now.")
    return None


def secret_text(device) -> str:
    """The TOTP secret as people type it into an app: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device) -> str:
    """The otpauth URI as an inline SVG QR code, drawn here (no outside service sees the secret)."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
