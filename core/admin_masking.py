"""Residents' personal data in the admin: masked like everywhere else, shown whole only on request, audited.

An admin who needs a resident's number opens the change page with
``?reveal=1``; that view writes one audit row (view_personal_data) naming the
fields, as the case and diary pages do.
"""

from collections.abc import Callable

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_log

REVEAL = "reveal"


def _wants_reveal(request) -> bool:
    return request.method == "GET" and request.GET.get(REVEAL) == "1"


class PersonalDataAdmin(admin.ModelAdmin):
    """A ModelAdmin whose ``personal_fields`` ({field: mask function}) are read-only and masked."""

    personal_fields: dict[str, Callable[[str], str]] = {}

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        for name, mask in self.personal_fields.items():
            setattr(self, f"{name}_shown", self._display(name, mask, model._meta.get_field(name).verbose_name))

    @staticmethod
    def _display(name: str, mask: Callable[[str], str], label) -> Callable:
        def shown(obj):
            value = getattr(obj, name) or ""
            # get_object marks the instance it hands to this one view; nothing else ever reveals.
            return value if getattr(obj, "_personal_revealed", False) else mask(value)

        shown.short_description = label
        return shown

    def _shown(self, name):
        return f"{name}_shown" if name in self.personal_fields else name

    def get_fields(self, request, obj=None):
        return [self._shown(f) for f in super().get_fields(request, obj)]

    def masked(self, readonly: list[str]) -> list[str]:
        """``readonly`` with each personal field in its masked form, and the reveal link."""
        fields = [self._shown(f) for f in readonly]
        extra = [f"{n}_shown" for n in self.personal_fields if f"{n}_shown" not in fields]
        return [*fields, *extra, "reveal_link"]

    def get_readonly_fields(self, request, obj=None):
        return self.masked(list(super().get_readonly_fields(request, obj)))

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), *self.personal_fields]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._personal_revealed = _wants_reveal(request)
        return obj

    @admin.display(description=gettext_lazy("Personal data"))
    def reveal_link(self, obj):
        if getattr(obj, "_personal_revealed", False) or not any(getattr(obj, n) for n in self.personal_fields):
            return ""
        return format_html('<a href="?{}=1">{}</a>', REVEAL, _("Show in full (recorded in the audit trail)"))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        if _wants_reveal(request) and response.status_code == 200 and original is not None:
            audit_log(action="view_personal_data", user=request.user, obj=original, request=request,
                      detail={"fields": sorted(self.personal_fields), "via": "admin"})  # fmt: skip
        return response
