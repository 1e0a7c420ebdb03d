"""Second factors in tests: a confirmed TOTP device, its current code, and force_login as a whole sign-in."""

from django.test.client import ClientMixin


def totp_device(user):
    """A confirmed TOTP device for ``user``, as after enrolment."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)


def totp_code(device) -> str:
    """The code the user's app shows now (django-otp's own computation, at the test's clock)."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


_force_login = ClientMixin.force_login


def _force_login_both_factors(self, user, backend=None):
    """force_login stands for a finished sign-in, password and second factor alike.

    Tests about signing in go through the forms (accounts/tests/test_twofactor.py); every other test that
    signs someone in with force_login gets a session that owes nothing, as after the code was entered.
    """
    from accounts import twofactor

    _force_login(self, user, backend)
    session = self.session
    session[twofactor.SESSION_KEY] = twofactor.DONE
    session.save()


def install_force_login_with_both_factors() -> None:
    ClientMixin.force_login = _force_login_both_factors
