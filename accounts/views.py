from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import access
from accounts.roles import Role

_HOME_TEMPLATES = {
    Role.OFFICER: "accounts/home/officer.html",
    Role.CLINICIAN: "accounts/home/clinician.html",
    Role.INTERN: "accounts/home/intern.html",
    Role.SUPERVISOR: "accounts/home/supervisor.html",
    Role.PARTNER: "accounts/home/partner.html",
    Role.ADMINISTRATOR: "accounts/home/administrator.html",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's work for today, shaped by their role."""
    role = access.home_role(request.user)
    template = _HOME_TEMPLATES.get(role, "accounts/home/no_role.html")
    return render(request, template, {"role": role, "role_label": Role(role).label if role else ""})
