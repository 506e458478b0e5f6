from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class CfsjAdminSite(admin.AdminSite):
    site_header = _("cfsj administration")
    site_title = _("cfsj administration")

    def has_permission(self, request: HttpRequest) -> bool:
        # The administrator *role* opens the admin, not the is_staff flag, so that a supervisor
        # who was once given is_staff by hand does not walk into user management.
        from accounts.access import is_administrator

        return is_administrator(request.user)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        # One sign-in page for everything, so that lockout, rate limits and (later) the second
        # factor apply to the admin too. A signed-in user without the role is refused outright.
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(request.GET.get("next") or reverse("admin:index"))
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index")
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
