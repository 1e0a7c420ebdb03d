from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Organisation and people")

    def ready(self) -> None:
        from accounts import auditing, middleware  # noqa: F401  (connect the audit and session receivers)
