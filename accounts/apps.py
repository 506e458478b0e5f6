from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Users and roles"

    def ready(self) -> None:
        from accounts import signals  # noqa: F401  (authentication events into the access log)


class CfsjAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "accounts.admin_site.CfsjAdminSite"
