from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Users and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        # The account policy; authentication events into the access log.
        from accounts import permissions, signals  # noqa: F401

        # MfaRequiredMiddleware's lookup, made once at sign-in rather than on the first page.
        from accounts.middleware import remember_second_factor

        user_logged_in.connect(remember_second_factor, dispatch_uid="cfsj_mfa_enrolled")


class CfsjAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "accounts.admin_site.CfsjAdminSite"
