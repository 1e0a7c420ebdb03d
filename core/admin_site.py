from functools import wraps

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class MinqingAdminSite(admin.AdminSite):
    """The admin, with every change it makes written to the audit trail.

    Wrapping admin_view catches adds, edits, deletes and bulk actions of every
    model in one place, including the ones Django logs with bulk inserts.
    """

    site_header = _("Minqing administration")
    site_title = _("Minqing administration")
    index_title = _("Organisation, people and rules")

    @property
    def login_form(self):
        # The login page's lockout messages ("locked until …") on the admin's login too. Imported here:
        # this module is loaded while the apps are being set up, before accounts.forms can be.
        from accounts.forms import AdminLoginForm

        return AdminLoginForm

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def audited(request, *args, **kwargs):
            from audit.services import audit_log

            response = inner(request, *args, **kwargs)
            if request.method == "POST" and request.user.is_authenticated and not request.path.endswith("/logout/"):
                audit_log(
                    action="admin_change",
                    user=request.user,
                    request=request,
                    outcome="ok" if response.status_code in (200, 302) else "failed",
                    detail={
                        "path": request.path,
                        "bulk_action": request.POST.get("action", ""),
                        "selected": request.POST.getlist("_selected_action")[:500],
                        "status": response.status_code,
                    },
                )
            return response

        return audited
