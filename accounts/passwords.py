import datetime
import string

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class CharacterClassValidator:
    """At least three of: lower case, upper case, digits, symbols (QUALITY.md)."""

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or not c.isalnum() for c in password),
        ]
        if sum(classes) < 3:
            raise ValidationError(
                _("Use at least three of: lower-case letters, upper-case letters, digits and symbols."),
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("Your password must mix at least three of: lower-case, upper-case, digits and symbols.")


class PasswordHistoryValidator:
    """Refuses a user's last settings.PASSWORD_HISTORY passwords; records each new one (MLPS 2.0 level 3).

    Django calls ``password_changed`` after the user row with the new hash is saved, whichever door set it,
    so the history holds hashes only, the same ones the user table holds.
    """

    def validate(self, password: str, user=None) -> None:
        count = settings.PASSWORD_HISTORY
        if not count or user is None or user.pk is None:
            return
        # The current password, then the recorded ones (the current one is usually among them too).
        hashes = list(dict.fromkeys([user.password, *previous_hashes(user, count)]))[:count]
        if any(encoded and check_password(password, encoded) for encoded in hashes):
            raise ValidationError(
                ngettext(
                    "Choose a password you have not used before.",
                    "Choose a password other than your last %(count)d.",
                    count,
                )
                % {"count": count},
                code="password_reused",
            )

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None or not settings.PASSWORD_HISTORY:
            return
        from accounts.models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        keep = previous_ids(user, settings.PASSWORD_HISTORY)
        PasswordHistory.objects.filter(user=user).exclude(pk__in=keep).delete()

    def get_help_text(self) -> str:
        return ngettext(
            "Your password cannot be the one you have now.",
            "Your password cannot be one of your last %(count)d.",
            settings.PASSWORD_HISTORY,
        ) % {"count": settings.PASSWORD_HISTORY}


def previous_hashes(user, count: int) -> list[str]:
    from accounts.models import PasswordHistory

    return list(
        PasswordHistory.objects.filter(user=user).order_by("-created", "-pk").values_list("password", flat=True)[:count]
    )


def previous_ids(user, count: int) -> list[int]:
    from accounts.models import PasswordHistory

    return list(
        PasswordHistory.objects.filter(user=user).order_by("-created", "-pk").values_list("pk", flat=True)[:count]
    )


def password_expired(user) -> bool:
    """Whether the user's password is older than settings.PASSWORD_EXPIRY_DAYS (read from the user row: no query)."""
    days = settings.PASSWORD_EXPIRY_DAYS
    changed = getattr(user, "password_changed_at", None)
    if not days or changed is None or not user.has_usable_password():
        return False
    return timezone.now() - changed > datetime.timedelta(days=days)
