from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Other platforms")

    def ready(self) -> None:
        # The notice wordings register their keys on import, so stored notices can be worded again.
        from integrations import texts  # noqa: F401
