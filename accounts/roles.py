"""The six roles. Each is a Django group of the same name (created by a data migration), so an
administrator assigns roles in the admin; the *meaning* of a role is fixed here, in code."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    CLINICIAN = "clinician", _("Clinician")
    INTERN = "intern", _("Clinical intern")
    SUPERVISOR = "supervisor", _("Supervisor")
    PARTNER = "partner", _("Safety Net partner")
    ADMINISTRATOR = "administrator", _("Administrator")


# When one person holds several roles, the home page follows the first that applies.
HOME_PRECEDENCE = (
    Role.SUPERVISOR,
    Role.CLINICIAN,
    Role.INTERN,
    Role.OFFICER,
    Role.PARTNER,
    Role.ADMINISTRATOR,
)

# Capabilities are permissions on accounts.User ("accounts.<codename>"), granted to role groups
# by migrations. Record-level rules (unit, assignment, confidentiality, consent) are not
# capabilities: they live in accounts.access and each app's permissions.py.
CAPABILITIES = {
    "find_people": _("Search and open people"),
    "log_contact": _("Log contacts"),
    "manage_cases": _("Work a caseload: cases, notes, tasks, assessments"),
    "supervise": _("Supervise: dashboards, reassignment, merges, closure approval, audit"),
    "attend_safetynet": _("Take part in Safety Net meetings"),
}

ROLE_CAPABILITIES: dict[str, tuple[str, ...]] = {
    Role.OFFICER: ("find_people", "log_contact", "attend_safetynet"),
    Role.CLINICIAN: ("find_people", "log_contact", "manage_cases", "attend_safetynet"),
    Role.INTERN: ("find_people", "log_contact", "manage_cases"),
    Role.SUPERVISOR: (
        "find_people",
        "log_contact",
        "manage_cases",
        "supervise",
        "attend_safetynet",
    ),
    Role.PARTNER: ("attend_safetynet",),
    Role.ADMINISTRATOR: (),
}

# Model permissions of the administrator: users and reference data, never clinical content
# (separation of duties). "app_label.codename".
ADMINISTRATOR_MODEL_PERMISSIONS = (
    "accounts.add_user",
    "accounts.change_user",
    "accounts.view_user",
    "accounts.add_unit",
    "accounts.change_unit",
    "accounts.view_unit",
    "accounts.add_partnerorganisation",
    "accounts.change_partnerorganisation",
    "accounts.view_partnerorganisation",
    "auth.view_group",
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accessfailurelog",
    "axes.view_accesslog",
    "account.add_emailaddress",
    "account.change_emailaddress",
    "account.view_emailaddress",
    "cases.add_populationflag",
    "cases.change_populationflag",
    "cases.view_populationflag",
    "cases.add_contacttype",
    "cases.change_contacttype",
    "cases.view_contacttype",
    "cases.add_disposition",
    "cases.change_disposition",
    "cases.view_disposition",
    "cases.add_casetype",
    "cases.change_casetype",
    "cases.view_casetype",
    "cases.add_closureoutcome",
    "cases.change_closureoutcome",
    "cases.view_closureoutcome",
    "cases.view_instrument",
    "cases.view_instrumentversion",
)
