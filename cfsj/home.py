"""The signed-in user's home: their work for today, shaped by their role. Project glue, since
it gathers from every app (accounts must not import the apps built on it)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import access
from accounts.roles import Role
from audit.selectors import review_due
from cases.models import Consultation
from cases.permissions import may_work_consultations
from cases.selectors import my_drafts
from cases.selectors_caseload import my_open_tasks

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
    role = access.home_role(request.user)
    template = _HOME_TEMPLATES.get(role, "accounts/home/no_role.html")
    context = {"role": role, "role_label": Role(role).label if role else ""}
    if access.can(request.user, "log_contact"):
        context["drafts"] = list(my_drafts(request.user))
    if access.can(request.user, "manage_cases"):
        context["tasks"] = my_open_tasks(request.user)
    asked = access.visible_to(request.user, Consultation).filter(requested_by=request.user)
    mine = list(asked.select_related("person").order_by("-created_at")[:10])
    if mine:
        context["consultations"] = mine
    if access.can(request.user, "supervise"):
        context["audit_review_due"] = review_due()
    if may_work_consultations(request.user):
        waiting = Consultation.objects.filter(status=Consultation.Status.OPEN)
        context["consultations_waiting"] = waiting.count()
    return render(request, template, context)
