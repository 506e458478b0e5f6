from django.contrib import admin
from django.urls import include, path

from accounts.security_views import account_security
from cfsj import home, views

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("accounts/security/", account_security, name="account_security"),
    path("accounts/", include("allauth.urls")),
    path("", include("cases.urls")),
    path("audit/", include("audit.urls")),
    path("staff/", include("accounts.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "cfsj.views.permission_denied"
handler404 = "cfsj.views.page_not_found"
# handler500 stays Django's: it renders templates/500.html without a request context, which is
# what a page shown after a crash should depend on.
