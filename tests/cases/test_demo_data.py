"""The demo city that seed_demo makes: believable, consistent, and with duplicates to find.

The city is made once for this module (a few seconds) inside a transaction that is rolled back
when the module ends; each test runs in a savepoint inside it, as usual.
"""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts import demo as demo_users
from cases import demo, merge, search
from cases.models import (
    CareTeamMember,
    Contact,
    ContactPerson,
    Household,
    HouseholdMember,
    Person,
    PersonName,
    PopulationFlag,
    Relationship,
)
from cfsj.lib.text import fold

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHING),
        transaction.atomic(),
    ):
        users = demo_users.create_demo_users()
        made = demo.create_demo_people(users)
        yield {"users": users, **made}
        transaction.set_rollback(True)


@pytest.fixture
def people(city, db):
    return list(Person.objects.all())


def test_the_city_has_about_four_hundred_people_and_three_thousand_contacts(city, people):
    assert 360 <= len(people) <= 440
    assert city["people"] == len(people)
    assert 80 <= Household.objects.count() == city["households"]
    assert Contact.objects.count() == city["contacts"] == 3000


def test_about_a_third_are_juveniles_with_some_seniors_and_estimated_ages(people):
    ages = [person.age for person in people if person.date_of_birth]
    juveniles = sum(10 <= age <= 17 for age in ages)
    assert 0.25 <= juveniles / len(people) <= 0.42
    assert sum(age >= 65 for age in ages) >= 15
    assert sum(person.dob_approximate for person in people) >= 5


def test_names_are_those_of_a_varied_city(people):
    surnames = {person.last_name for person in people}
    for sample in ("Hernández", "Jean-Baptiste", "Silva", "Tadesse", "Chen", "Murphy"):
        assert any(sample in surname for surname in surnames) or sample in {
            p.first_name for p in people
        }
    accented = [p for p in people if fold(p.full_name) != p.full_name.lower()]
    assert len(accented) >= 40
    kinds = Counter(PersonName.objects.values_list("kind", flat=True))
    assert kinds["nickname"] >= 5
    assert kinds["alias"] >= 5
    assert kinds["previous"] >= 2


def test_people_have_phones_addresses_schools_and_population_flags(people):
    assert sum(bool(p.phone) for p in people) >= len(people) // 3
    assert sum(p.city == "Cambridge" and bool(p.street) for p in people) >= len(people) // 2
    assert sum(bool(p.school) for p in people) >= 60
    assert sum(bool(p.safety_notes) for p in people) >= 5
    used = set(Person.flags.through.objects.values_list("populationflag__code", flat=True))
    assert used == set(PopulationFlag.objects.values_list("code", flat=True))


def test_some_addresses_are_confidential_and_those_are_survivors_or_their_children(people):
    confidential = [p for p in people if p.address_confidential]
    assert len(confidential) >= 8
    survivors = set(
        Person.objects.filter(flags__code="dv-sa-survivor").values_list("pk", flat=True)
    )
    children_of = set(
        Relationship.objects.filter(person__in=survivors, kind="parent").values_list(
            "relative", flat=True
        )
    )
    assert {p.pk for p in confidential} <= survivors | children_of


def test_every_household_has_members(city, db):
    assert not Household.objects.filter(members__isnull=True).exists()
    sizes = Counter(HouseholdMember.objects.values_list("household", flat=True))
    assert max(sizes.values()) <= 8


def test_relationships_are_consistent(city, db):
    rows = list(Relationship.objects.select_related("person", "relative"))
    assert Counter(row.kind for row in rows).keys() >= {
        "parent",
        "guardian",
        "sibling",
        "partner",
        "caregiver",
    }
    households = {}
    for member in HouseholdMember.objects.all():
        households.setdefault(member.person_id, set()).add(member.household_id)
    for row in rows:
        older, younger = row.person.date_of_birth, row.relative.date_of_birth
        assert row.person_id != row.relative_id
        if row.kind in ("parent", "guardian"):
            assert (younger - older).days >= 15 * 365, f"{row.person} → {row.relative}"
        if row.kind == "partner":
            assert row.person.age >= 18 and row.relative.age >= 18
        # Everyone related in the demo city lives together.
        assert households[row.person_id] & households[row.relative_id]


def test_the_intern_works_only_with_people_the_clinician_also_has(city, db):
    team = CareTeamMember.objects.filter(ended_on__isnull=True)
    interns = set(team.filter(user__username="intern").values_list("person", flat=True))
    clinicians = set(team.filter(user__username="clinician").values_list("person", flat=True))
    assert len(clinicians) >= 20
    assert len(interns) >= 3
    assert interns <= clinicians


def test_contacts_span_two_years_mostly_on_weekdays_in_the_daytime(city, db):
    now = timezone.now()
    moments = [timezone.localtime(m) for m in Contact.objects.values_list("occurred_at", flat=True)]
    assert min(moments) <= now - timedelta(days=700)
    assert max(moments) >= now - timedelta(days=3)
    assert max(moments) <= now
    assert sum(m.weekday() < 5 for m in moments) / len(moments) >= 0.75
    assert sum(8 <= m.hour < 19 for m in moments) / len(moments) >= 0.6
    # Spread over time: every quarter of the two years has a fair share.
    quarters = Counter(min(7, (now - m).days // 92) for m in moments)
    assert min(quarters.values()) >= 200


def test_contacts_are_mostly_the_officers_and_end_mostly_without_enforcement(city, db):
    contacts = Contact.objects.all()
    authors = Counter(contacts.values_list("author__username", flat=True))
    assert authors["officer"] > 0.6 * len(contacts)
    assert authors["clinician"] > 0
    assert authors["supervisor"] > 0
    outcomes = Counter(contacts.values_list("disposition__code", flat=True))
    common = outcomes["information"] + outcomes["referral"] + outcomes["no-action"]
    assert common > 0.7 * len(contacts)
    for code in ("arrest", "summons", "diverted"):
        assert 0 < outcomes[code] < 0.06 * len(contacts)
    numbers = list(contacts.exclude(incident_number="").values_list("incident_number", flat=True))
    assert len(numbers) >= 300
    assert all(re.fullmatch(r"\d{2}-\d{6}", number) for number in numbers)


def test_a_handful_of_drafts_are_the_officers(city, db):
    drafts = Contact.objects.filter(status=Contact.Status.DRAFT)
    assert 3 <= drafts.count() <= 10
    assert set(drafts.values_list("author__username", flat=True)) == {"officer"}
    assert not Contact.objects.filter(status="final", finalised_at__isnull=True).exists()


def test_every_record_has_its_created_history_row(city, db):
    for model in (Person, Household, HouseholdMember, Relationship, Contact, ContactPerson):
        created = model.history.filter(history_type="+")
        assert created.count() == model.objects.count(), model.__name__
    contact = Contact.objects.order_by("occurred_at").first()
    first = contact.history.get()
    assert first.history_user == contact.author
    assert first.history_date == contact.created_at


def test_planted_duplicates_are_found_by_the_duplicate_check_for_a_supervisor(city, db):
    supervisor = city["users"]["supervisor"]
    pairs = city["duplicate_pairs"]
    assert len(pairs) >= 10
    for first_pk, second_pk in pairs:
        second = Person.objects.get(pk=second_pk)
        hits = search.similar_people(
            supervisor,
            first_name=second.first_name,
            last_name=second.last_name,
            date_of_birth=second.date_of_birth,
            exclude_pk=second.pk,
        )
        assert first_pk in [hit.person.pk for hit in hits], str(second)


def test_planted_duplicates_top_the_list_of_candidates_with_contacts_on_both(city, db):
    candidates = {
        (pair.a_id, pair.b_id) for pair in merge.duplicate_candidates(city["users"]["supervisor"])
    }
    planted = set(city["duplicate_pairs"])
    assert planted <= candidates
    assert len(candidates - planted) <= 5  # few false alarms
    for first_pk, second_pk in planted:
        for pk in (first_pk, second_pk):
            assert ContactPerson.objects.filter(person_id=pk).exists()


def test_the_same_seed_makes_the_same_city(city, db):
    def names_of_a_small_city() -> list[tuple[str, str]]:
        with transaction.atomic():
            before = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
            demo.create_demo_people(city["users"], people=60, contacts=40)
            made = list(
                Person.objects.filter(pk__gt=before)
                .order_by("pk")
                .values_list("first_name", "last_name")
            )
            transaction.set_rollback(True)
        return made

    assert names_of_a_small_city() == names_of_a_small_city()
