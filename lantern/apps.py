from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class LanternConfig(AppConfig):
    default = True

    name = "lantern"
    verbose_name = "Lantern"


class LanternAdminConfig(admin_apps.AdminConfig):
    """Django's admin, on Lantern's site (throttled sign-in, optional two-factor)."""

    default = False
    default_site = "lantern.admin_site.LanternAdminSite"
