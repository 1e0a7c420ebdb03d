from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Organisation and people")

    def ready(self) -> None:
        from accounts import auditing, middleware, token_lifetime  # noqa: F401  (connect their receivers)
