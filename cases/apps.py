from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        # The case notices' wordings are declared with the actions; a process that only shows or
        # sends notices (a worker, the inbox) must know them too to word a stored notice again.
        from cases.actions import definitions  # noqa: F401
