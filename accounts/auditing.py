"""Sign-ins and failed sign-ins go to the audit trail.

Django announces them through its auth signals whichever door was used
(login page, admin, token endpoint), so listening there misses none. An
attempt the sign-in limits turned away before its password was checked is a
failed sign-in too, with outcome "locked".
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts import lockout
from audit.services import audit_log


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_log(action="login", user=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_log(action="logout", user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    refusal = lockout.refusal(request)
    refused = refusal is not None and not refusal.password_checked
    # credentials holds the password too: keep only the username.
    audit_log(
        action="login_failed",
        username=str(credentials.get("username", ""))[:150],
        outcome="locked" if refused else "failed",
        request=request,
        detail={"refused_by": refusal.reason, "until": refusal.until.isoformat()} if refused else None,
    )
