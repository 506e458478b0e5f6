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
