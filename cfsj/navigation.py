"""The navigation: each role sees only what it may use. Each feature adds its entry here, with
the same capability test its views apply (the views decide; this only hides what would 403)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts import access
from cases import permissions


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    allowed: Callable[[Any], bool]


NAVIGATION: tuple[NavItem, ...] = (
    NavItem(_("Today"), "home", lambda user: True),
    NavItem(_("People"), "cases:person_search", lambda user: access.can(user, "find_people")),
    NavItem(
        _("Log a contact"), "cases:contact_create", lambda user: access.can(user, "log_contact")
    ),
    NavItem(_("Caseload"), "cases:caseload", lambda user: access.can(user, "manage_cases")),
    NavItem(_("Cases"), "cases:case_list", lambda user: access.can(user, "manage_cases")),
    NavItem(
        _("Consultations"),
        "cases:consultation_queue",
        lambda user: permissions.may_work_consultations(user),
    ),
    NavItem(
        _("Duplicates"), "cases:duplicate_candidates", lambda user: access.can(user, "supervise")
    ),
    NavItem(_("Audit"), "audit:review_list", lambda user: access.can(user, "supervise")),
    NavItem(_("Administration"), "admin:index", access.is_administrator),
)


def navigation_for(user: Any) -> list[dict[str, str]]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        {"label": str(item.label), "url": reverse(item.url_name)}
        for item in NAVIGATION
        if item.allowed(user)
    ]
