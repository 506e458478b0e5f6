"""Writes for people and contacts. Keyword-only arguments, the acting user passed in, one
transaction each; refusals raise :class:`CasesError` with a message for the user."""

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from cases import permissions
from cases.models import (
    CareTeamMember,
    Contact,
    ContactAddendum,
    ContactPerson,
    ContactType,
    Disposition,
    Household,
    HouseholdMember,
    Person,
    PersonName,
    PopulationFlag,
    Relationship,
)

PERSON_FIELDS = (
    "first_name",
    "middle_name",
    "last_name",
    "date_of_birth",
    "dob_approximate",
    "gender",
    "race_ethnicity",
    "preferred_language",
    "interpreter_needed",
    "phone",
    "street",
    "city",
    "postal_code",
    "address_confidential",
    "school",
    "grade",
    "safety_notes",
)


class CasesError(Exception):
    """A refused write; ``str(error)`` is a translated message for the user."""


def _reindex(person: Person) -> None:
    """Recompute the derived search fields from the person's names (after any name change)."""
    other = [f"{n.first_name} {n.last_name}" for n in person.other_names.all()]
    person.refresh_search_fields(other)
    person.save(update_fields=["search_names", "phone_digits"])


@transaction.atomic
def person_create(
    *,
    actor: Any,
    data: dict,
    flags: Iterable[PopulationFlag] = (),
    other_names: Iterable[tuple[str, str, str]] = (),
) -> Person:
    """``data`` holds PERSON_FIELDS; ``other_names`` (kind, first, last) are aliases/nicknames."""
    access.require(actor, "find_people")
    _check_date_of_birth(data.get("date_of_birth"))
    person = Person(created_by=actor, **{k: v for k, v in data.items() if k in PERSON_FIELDS})
    other_names = [(kind, first, last) for kind, first, last in other_names if first or last]
    # Search fields are computed before the one save, so the history has one "created" row.
    person.refresh_search_fields([f"{first} {last}" for _kind, first, last in other_names])
    person.save()
    person.flags.set(flags)
    for kind, first, last in other_names:
        PersonName.objects.create(person=person, kind=kind, first_name=first, last_name=last)
    return person


@transaction.atomic
def person_update(
    *, actor: Any, person: Person, data: dict, flags: Iterable[PopulationFlag]
) -> Person:
    access.require_change(actor, person)
    _check_date_of_birth(data.get("date_of_birth"))
    if person.is_merged:
        raise CasesError(_("This record was merged into another; change that one instead."))
    for field in PERSON_FIELDS:
        if field in data:
            setattr(person, field, data[field])
    person.refresh_search_fields(
        [f"{n.first_name} {n.last_name}" for n in person.other_names.all()]
    )
    person.save()
    # Restricted flags the actor cannot see are kept as they were, never silently removed.
    hidden = (
        []
        if permissions.may_see_restricted_flags(actor)
        else list(person.flags.filter(restricted=True))
    )
    person.flags.set([*flags, *hidden])
    return person


@transaction.atomic
def person_add_name(
    *, actor: Any, person: Person, kind: str, first_name: str, last_name: str
) -> PersonName:
    access.require(actor, "find_people")
    if not (first_name.strip() or last_name.strip()):
        raise CasesError(_("Give at least a first or a last name."))
    name = PersonName.objects.create(
        person=person, kind=kind, first_name=first_name.strip(), last_name=last_name.strip()
    )
    _reindex(person)
    return name


@transaction.atomic
def care_team_assign(*, actor: Any, person: Person, user: Any, role: str = "") -> CareTeamMember:
    access.require(actor, "manage_cases")
    member, _created = CareTeamMember.objects.get_or_create(
        person=person, user=user, ended_on__isnull=True, defaults={"role": role}
    )
    return member


def _check_date_of_birth(born: date | None) -> None:
    if born is not None and born > timezone.localdate():
        raise CasesError(_("The date of birth is in the future."))


# --- contacts ----------------------------------------------------------------------------


@transaction.atomic
def contact_save(
    *,
    actor: Any,
    submission_key: UUID,
    occurred_at,
    location: str,
    contact_type: ContactType | None,
    people: Iterable[Person],
    narrative: str,
    disposition: Disposition | None,
    incident_number: str,
    consultation_requested: bool,
    flags: Iterable[PopulationFlag],
    finish: bool,
    contact: Contact | None = None,
) -> Contact:
    """Create (``contact`` None) or change a contact. ``finish`` makes it final (a draft needs
    only one person); the same ``submission_key`` twice returns the contact already made."""
    access.require(actor, "log_contact")
    people = list(people)
    if contact is None:
        existing = Contact.objects.filter(submission_key=submission_key, author=actor).first()
        if existing is not None:
            return existing
        contact = Contact(author=actor, submission_key=submission_key)
    else:
        access.require_change(actor, contact)
    if not people:
        raise CasesError(_("Add at least one person to the contact."))
    if occurred_at > timezone.now():
        raise CasesError(_("The contact cannot be in the future."))
    for person in people:
        if person.date_of_birth and person.date_of_birth > timezone.localdate(occurred_at):
            raise CasesError(
                _("%(name)s was born after this contact's date.") % {"name": person.full_name}
            )
    if finish and (contact_type is None or disposition is None):
        raise CasesError(_("A finished contact needs a contact type and a disposition."))
    contact.occurred_at = occurred_at
    contact.location = location
    contact.contact_type = contact_type
    contact.narrative = narrative
    contact.disposition = disposition
    contact.incident_number = incident_number
    contact.consultation_requested = consultation_requested
    if finish and contact.status == Contact.Status.DRAFT:
        contact.status = Contact.Status.FINAL
        contact.finalised_at = timezone.now()
    contact.save()
    _set_participants(contact, people)
    contact.flags.set(flags)
    if contact.status == Contact.Status.FINAL and contact.consultation_requested:
        # Imported here: cases.consultations builds on this module (CasesError).
        from cases.consultations import consultation_from_contact

        consultation_from_contact(actor=actor, contact=contact)  # once per contact
    return contact


def _set_participants(contact: Contact, people: list[Person]) -> None:
    wanted = {person.pk for person in people}
    now = timezone.now()
    links = {link.person_id: link for link in contact.participants.all()}
    for person_id in wanted:
        link = links.get(person_id)
        if link is None:
            ContactPerson.objects.create(contact=contact, person_id=person_id)
        elif link.removed_at is not None:
            link.removed_at = None
            link.save()
    for person_id, link in links.items():
        if person_id not in wanted and link.removed_at is None:
            link.removed_at = now
            link.save()


@transaction.atomic
def contact_add_addendum(*, actor: Any, contact: Contact, text: str) -> ContactAddendum:
    if not permissions.may_add_addendum(actor, contact):
        raise CasesError(_("You may not add to this contact."))
    text = text.strip()
    if not text:
        raise CasesError(_("The addendum is empty."))
    return ContactAddendum.objects.create(contact=contact, author=actor, text=text)


@transaction.atomic
def contact_add_flags(*, actor: Any, contact: Contact, flags: Iterable[PopulationFlag]) -> Contact:
    """Population flags found after the fact (dispatch call types often hide them). Adding only:
    a flag once recorded stays in the history."""
    access.require(actor, "log_contact")
    contact.flags.add(*flags)
    return contact


# --- relationships and households ------------------------------------------------------------


@transaction.atomic
def relationship_add(
    *, actor: Any, person: Person, relative: Person, kind: str, same_household: bool = False
) -> Relationship:
    """``person`` is ``kind`` of ``relative`` (a parent of, a guardian of…). With
    ``same_household`` both join one household (the person's current one, or a new one)."""
    access.require(actor, "find_people")
    if person.pk == relative.pk:
        raise CasesError(_("A person cannot be related to themselves."))
    if kind not in Relationship.Kind.values:
        raise CasesError(_("Unknown relationship."))
    if person.is_merged or relative.is_merged:
        raise CasesError(_("One of these records was merged; use the surviving record."))
    existing = Relationship.objects.filter(
        person=person, relative=relative, kind=kind, active=True
    ).first()
    relationship = existing or Relationship.objects.create(
        person=person, relative=relative, kind=kind
    )
    if same_household:
        membership = person.households.filter(active=True).select_related("household").first()
        household = (
            membership.household
            if membership
            else Household.objects.create(name=_("%(name)s household") % {"name": person.last_name})
        )
        for member in (person, relative):
            HouseholdMember.objects.get_or_create(household=household, person=member)
    return relationship


@transaction.atomic
def relationship_end(*, actor: Any, relationship: Relationship) -> Relationship:
    """Relationships end (a separation, a guardianship that lapsed); they are not deleted."""
    access.require(actor, "find_people")
    relationship.active = False
    relationship.save()
    return relationship
