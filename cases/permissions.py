"""Record policies for people and contacts (see accounts.access for the model).

* A person is visible to staff who may find people (officers, clinicians, supervisors); a
  clinical intern sees only the people on whose care team they are.
* A confidential address is shown only to the person's current care team and supervisors;
  restricted population flags (e.g. substance use) only to clinical staff and supervisors.
* A contact is visible to whoever may see one of its people, except a draft, which only its
  author sees. Its author may change it for 24 hours after logging it (a draft until finished);
  later corrections are addenda.
"""

from datetime import timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts import access
from accounts.roles import Role
from cases.models import CareTeamMember, Contact, ContactPerson, Person

EDIT_WINDOW = timedelta(hours=24)


def _current_team(user: Any) -> QuerySet:
    return CareTeamMember.objects.filter(user=user, ended_on__isnull=True)


def _intern_only(user: Any) -> bool:
    return access.has_role(user, Role.INTERN) and not access.has_role(
        user, Role.CLINICIAN, Role.SUPERVISOR, Role.OFFICER
    )


@access.register(Person)
class PersonPolicy(access.Policy):
    def visible(self, user: Any, queryset: QuerySet) -> QuerySet:
        if not access.can(user, "find_people"):
            return queryset.none()
        if _intern_only(user):
            return queryset.filter(Exists(_current_team(user).filter(person=OuterRef("pk"))))
        return queryset

    def can_change(self, user: Any, obj: Person) -> bool:
        if access.has_role(user, Role.SUPERVISOR, Role.CLINICIAN):
            return True
        return _current_team(user).filter(person=obj).exists()


def may_see_confidential_address(user: Any, person: Person) -> bool:
    if access.is_supervisor(user):
        return True
    return _current_team(user).filter(person=person).exists()


def may_see_restricted_flags(user: Any) -> bool:
    return access.can(user, "manage_cases")


def may_merge_people(user: Any) -> bool:
    return access.can(user, "supervise")


@access.register(Contact)
class ContactPolicy(access.Policy):
    def visible(self, user: Any, queryset: QuerySet) -> QuerySet:
        if not access.can(user, "find_people"):
            return queryset.none()
        people = access.visible_to(user, Person)
        seen = Exists(ContactPerson.objects.filter(contact=OuterRef("pk"), person__in=people))
        mine = Q(author=user)
        return queryset.filter((seen & Q(status=Contact.Status.FINAL)) | mine)

    def can_change(self, user: Any, obj: Contact) -> bool:
        if obj.author_id != user.pk:
            return False
        if obj.status == Contact.Status.DRAFT:
            return True
        return timezone.now() - obj.created_at <= EDIT_WINDOW


def may_add_addendum(user: Any, contact: Contact) -> bool:
    """Anyone who may log contacts and sees a final contact may add to it; nobody rewrites it."""
    return contact.status == Contact.Status.FINAL and access.can(user, "log_contact")


# --- casework (issue 4) -----------------------------------------------------------------------
#
# * A case is visible to supervisors and clinicians of its unit; to whoever is its assigned
#   worker or on its team (an officer on a case team included) — together, the case's "scope";
#   to a clinician or supervisor outside it who broke the glass (cases.breakglass: a reason,
#   logged, supervisors notified, for CFSJ_BREAK_GLASS_HOURS); nobody else (404).
# * Notes follow their level (DESIGN.md): general — everyone who sees the case; clinical —
#   clinicians, interns and supervisors who see it; protected (42 CFR Part 2) — the treating
#   team (assigned worker and team members with a clinical role) and the supervisors of the
#   case's unit, never anyone through break-the-glass. A pending intern note is visible only to
#   its author and its co-signer, whatever the level.
# * Tasks: their assignee and creator, and whoever sees their case.
# * Consultations: the officer who asked; members of a clinical unit; supervisors.
# * Assessments: who performed them; clinical staff and supervisors who see the case (or, for
#   an assessment outside a case, the person). Officers never see another's assessment detail.

from accounts.models import User  # noqa: E402
from cases.models import (  # noqa: E402
    Assessment,
    BreakGlassAccess,
    Case,
    Consultation,
    Note,
    Task,
)

CLINICAL_ROLES = (Role.CLINICIAN, Role.INTERN)


def _on_case(user: Any, case_ref: str = "pk") -> Q:
    """Q on a Case queryset (or on a related model with ``case_ref`` = "case_id"): the user is
    the assigned worker or on the team."""
    prefix = "" if case_ref == "pk" else "case__"
    team = Case.team.through.objects.filter(case_id=OuterRef(case_ref), user_id=user.pk)
    return Q(**{f"{prefix}assigned_to": user}) | Exists(team)


# Who sees the cases of the units they belong to (and may break the glass into the others).
UNIT_ROLES = (Role.CLINICIAN, Role.SUPERVISOR)


def may_break_glass(user: Any) -> bool:
    """Clinicians and supervisors only: interns, officers, partners and administrators never."""
    return access.has_role(user, *UNIT_ROLES)


def _in_scope(user: Any, case_ref: str = "pk") -> Q:
    """Q (as in :func:`_on_case`): the case is in the user's own scope — on it, or in one of
    their units for a clinician or supervisor. Break-the-glass grants are not part of it."""
    prefix = "" if case_ref == "pk" else "case__"
    if section_lead(user):
        return Q(**{f"{prefix}pk__isnull": False})  # every case (an empty Q would OR to nothing)
    rule = _on_case(user, case_ref)
    if access.has_role(user, *UNIT_ROLES):
        rule |= Q(**{f"{prefix}unit_id__in": user.unit_ids})
    return rule


def section_lead(user: Any) -> bool:
    """A supervisor who belongs to no unit leads the whole section (DESIGN.md: "section or unit
    lead"): every case is in their scope, as every unit is in their team caseloads. A unit lead
    outside their units breaks the glass like a clinician."""
    return access.is_supervisor(user) and not user.unit_ids


def _unexpired_grant(user: Any) -> Exists:
    return Exists(
        BreakGlassAccess.objects.filter(
            case_id=OuterRef("pk"), user_id=user.pk, expires_at__gt=timezone.now()
        )
    )


def in_scope(user: Any, case: Case) -> bool:
    """Is ``case`` in the user's own scope (not merely opened by breaking the glass)?"""
    if section_lead(user):
        return True
    if access.has_role(user, *UNIT_ROLES) and case.unit_id in user.unit_ids:
        return True
    if user.pk is not None and case.assigned_to_id == user.pk:
        return True
    return Case.team.through.objects.filter(case_id=case.pk, user_id=user.pk).exists()


def may_print_case(user: Any, case: Case) -> bool:
    """A print leaves the system: only from the user's own scope, never through a
    break-the-glass grant (emergency reading, not copying)."""
    return in_scope(user, case)


def case_rule(user: Any) -> Q:
    """Q on a Case queryset: the cases ``user`` sees (their scope, and unexpired grants)."""
    rule = _in_scope(user)
    if may_break_glass(user):
        rule |= _unexpired_grant(user)
    return rule


@access.register(Case)
class CasePolicy(access.Policy):
    def visible(self, user: Any, queryset: QuerySet) -> QuerySet:
        return queryset.filter(case_rule(user))

    def can_change(self, user: Any, obj: Case) -> bool:
        # A break-the-glass grant opens a case for reading only.
        return access.can(user, "manage_cases") and in_scope(user, obj)


def may_see_note_level(user: Any, case: Case, level: str) -> bool:
    """May ``user`` (who sees ``case``) read notes of ``level`` on it (signed ones)?"""
    if level == Note.Level.GENERAL:
        return True
    supervisor = access.is_supervisor(user)
    if not supervisor and not access.has_role(user, *CLINICAL_ROLES):
        return False
    if level == Note.Level.CLINICAL:
        return True
    # Protected (42 CFR Part 2): the treating team, and supervisors of the case's unit; never
    # through break-the-glass.
    if supervisor and (case.unit_id in user.unit_ids or section_lead(user)):
        return True
    return Case.objects.filter(pk=case.pk).filter(_on_case(user)).exists()


def may_write_note_level(user: Any, case: Case, level: str) -> bool:
    return access.can(user, "manage_cases") and may_see_note_level(user, case, level)


@access.register(Note)
class NotePolicy(access.Policy):
    def visible(self, user: Any, queryset: QuerySet) -> QuerySet:
        queryset = queryset.filter(case__in=access.visible_to(user, Case))
        settled = Q(status=Note.Status.SIGNED) | Q(author=user) | Q(cosigner=user)
        levels = Q(level=Note.Level.GENERAL)
        if access.is_supervisor(user):
            # Protected notes: the cases of their units and those they work, never a case
            # opened by breaking the glass.
            levels |= Q(level=Note.Level.CLINICAL)
            levels |= Q(level=Note.Level.PROTECTED) & _in_scope(user, "case_id")
        elif access.has_role(user, *CLINICAL_ROLES):
            levels |= Q(level=Note.Level.CLINICAL)
            levels |= Q(level=Note.Level.PROTECTED) & _on_case(user, "case_id")
        return queryset.filter(settled & levels)

    def can_change(self, user: Any, obj: Note) -> bool:
        # Notes are never edited; only a pending note's co-signer acts on it (co-signature).
        return obj.status == Note.Status.PENDING and obj.cosigner_id == user.pk


@access.register(Task)
class TaskPolicy(access.Policy):
    def visible(self, user: Any, queryset: QuerySet) -> QuerySet:
        return queryset.filter(
            Q(assignee=user) | Q(created_by=user) | Q(case__in=access.visible_to(user, Case))
        )

    def can_change(self, user: Any, obj: Task) -> bool:
        if obj.assignee_id == user.pk or obj.created_by_id == user.pk:
            return True
        return obj.case_id is not None and access.can_change(user, obj.case)


def _clinical_unit_member(user: Any) -> bool:
    if not access.can(user, "manage_cases"):
        return False
    # Asked by the navigation on every page and again by consultation views: once per request
    # (the user object lives for one request).
    cached = getattr(user, "_cfsj_in_clinical_unit", None)
    if cached is None:
        cached = User.units.through.objects.filter(user_id=user.pk, unit__is_clinical=True).exists()
        user._cfsj_in_clinical_unit = cached
    return cached


@access.register(Consultation)
class ConsultationPolicy(access.Policy):
    def visible(self, user: Any, queryset: QuerySet) -> QuerySet:
        if access.is_supervisor(user) or _clinical_unit_member(user):
            return queryset
        return queryset.filter(requested_by=user)

    def can_change(self, user: Any, obj: Consultation) -> bool:
        """Taking and answering: clinical unit members and supervisors."""
        return may_work_consultations(user)


def may_work_consultations(user: Any) -> bool:
    """The consultation queue and its actions: clinical unit members and supervisors."""
    return access.is_supervisor(user) or _clinical_unit_member(user)


@access.register(Assessment)
class AssessmentPolicy(access.Policy):
    def visible(self, user: Any, queryset: QuerySet) -> QuerySet:
        # Supervisors too: an assessment on a case follows the case (their units' cases, those
        # they work, those opened by breaking the glass); one outside a case follows the person.
        mine = Q(performed_by=user)
        if not access.can(user, "manage_cases"):
            return queryset.filter(mine)
        cases = access.visible_to(user, Case)
        people = access.visible_to(user, Person)
        return queryset.filter(mine | Q(case__in=cases) | Q(case__isnull=True, person__in=people))

    def can_change(self, user: Any, obj: Assessment) -> bool:
        return False  # answers are kept as given; a new screen is a new assessment
