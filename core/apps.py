from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = "Core"


class MinqingAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on our audited site (core.admin_site)."""

    default = False
    default_site = "core.admin_site.MinqingAdminSite"
