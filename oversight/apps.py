from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Oversight")

    def ready(self) -> None:
        # The notice wordings register their keys on import, so stored notices can be worded again.
        from oversight import texts  # noqa: F401
