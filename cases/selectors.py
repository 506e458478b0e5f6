"""Reads for people and contacts, each in a fixed number of queries."""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, QuerySet

from accounts import access
from cases import permissions
from cases.models import (
    CareTeamMember,
    Contact,
    ContactPerson,
    HouseholdMember,
    Person,
    PopulationFlag,
)

TIMELINE_PAGE_SIZE = 20


@dataclass
class RelationRow:
    label: str
    other: Person
    visible: bool
    pk: int = 0


@dataclass
class PersonView:
    person: Person
    flags: list[PopulationFlag]
    show_address: bool
    care_team: list[CareTeamMember]
    relations: list[RelationRow]
    households: list[HouseholdMember]
    timeline: Page
    can_change: bool


def person_for_page(user: Any, pk: int) -> Person:
    """The person (through the user's visible queryset: 404 outside it)."""
    return access.get_visible_or_404(user, Person.objects.prefetch_related("other_names"), pk=pk)


def person_page(user: Any, person: Person, *, page_number: Any = 1) -> PersonView:
    """Everything the person page shows, in a fixed number of queries:
    flags; care team with users; relationships both ways with the other person; households
    with their members; the timeline count and page (contacts with type, disposition, author,
    flags, addenda count); the visible-people check for relatives."""
    flags = list(person.flags.all())
    if not permissions.may_see_restricted_flags(user):
        flags = [flag for flag in flags if not flag.restricted]
    care_team = list(
        person.care_team.filter(ended_on__isnull=True).select_related("user").order_by("pk")
    )
    out = list(person.relationships_out.filter(active=True).select_related("relative"))
    incoming = list(person.relationships_in.filter(active=True).select_related("person"))
    others = [r.relative for r in out] + [r.person for r in incoming]
    visible_ids = set(
        access.visible_to(user, Person)
        .filter(pk__in=[o.pk for o in others])
        .values_list("pk", flat=True)
    )
    relations = [
        RelationRow(
            label=r.label_for(person),
            other=r.relative,
            visible=r.relative_id in visible_ids,
            pk=r.pk,
        )
        for r in out
    ] + [
        RelationRow(
            label=r.label_for(person), other=r.person, visible=r.person_id in visible_ids, pk=r.pk
        )
        for r in incoming
    ]
    households = list(
        person.households.filter(active=True)
        .select_related("household")
        .prefetch_related(
            Prefetch(
                "household__members",
                queryset=HouseholdMember.objects.filter(active=True).select_related("person"),
            )
        )
    )
    return PersonView(
        person=person,
        flags=flags,
        show_address=(not person.address_confidential)
        or permissions.may_see_confidential_address(user, person),
        care_team=care_team,
        relations=relations,
        households=households,
        timeline=person_timeline(user, person, page_number=page_number),
        can_change=access.can_change(user, person),
    )


def person_timeline(user: Any, person: Person, *, page_number: Any = 1) -> Page:
    contacts = (
        access.visible_to(user, Contact)
        .filter(participants__person=person, participants__removed_at__isnull=True)
        .select_related("contact_type", "disposition", "author")
        .prefetch_related("flags")
        .annotate(addenda_count=Count("addenda", distinct=True))
        .order_by("-occurred_at", "-pk")
    )
    return Paginator(contacts, TIMELINE_PAGE_SIZE).get_page(page_number)


def contact_for_page(user: Any, pk: int) -> Contact:
    return access.get_visible_or_404(
        user,
        Contact.objects.select_related("contact_type", "disposition", "author").prefetch_related(
            "flags",
            "addenda__author",
            Prefetch(
                "participants",
                queryset=ContactPerson.objects.filter(removed_at__isnull=True).select_related(
                    "person"
                ),
            ),
        ),
        pk=pk,
    )


def visible_flags(user: Any, flags: QuerySet | list) -> list[PopulationFlag]:
    if permissions.may_see_restricted_flags(user):
        return list(flags)
    return [flag for flag in flags if not flag.restricted]


def my_drafts(user: Any) -> QuerySet:
    return (
        Contact.objects.filter(author=user, status=Contact.Status.DRAFT)
        .select_related("contact_type")
        .order_by("-occurred_at")[:10]
    )


def resolve_merged(person: Person) -> Person:
    """Follow merged_into to the surviving record (merges may chain)."""
    seen = set()
    while person.merged_into_id and person.pk not in seen:
        seen.add(person.pk)
        person = Person.objects.get(pk=person.merged_into_id)
    return person
