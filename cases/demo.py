"""The demo city's people, households and contact log (DESIGN.md "Demo data").

``manage.py seed_demo`` calls :func:`create_demo_people` after the demo users, in the same
transaction. Everything comes from one ``random.Random(seed)``, so the same seed gives the same
city (dates are relative to today, so that ages and "the past two years" stay true). Every
record has its history "created" row, dated and attributed as if it had been entered at the
time: people, households and relationships are saved one by one; the thousands of contacts are
inserted in batches together with their history rows (see ``_City.save_contacts_and_flags``).

Names are made up from name pools typical of Cambridge, Massachusetts; no real person is meant.
About ten people were "entered twice" with the usual variants (a nickname, a typo, a missing
accent, swapped day and month, a split hyphenated surname...) so that duplicate search and
merge have something to find: :data:`cases.demo_data.PLANTED_DUPLICATES`.
"""

import random
import uuid
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from cases import demo_data as words
from cases.models import (
    CareTeamMember,
    Contact,
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

SEED = 20_261_126
PEOPLE = 400
CONTACTS = 3000
DAYS = 730  # contacts over the past two years
DRAFTS = 6
BATCH = 500


@dataclass
class _Facts:
    """What the contact generator needs to know about a saved person."""

    person: Person
    weight: float
    kind: str  # juvenile | child | adult | senior | street
    household: Household | None = None
    flags: set[str] = field(default_factory=set)
    care_team: set[str] = field(default_factory=set)


def create_demo_people(
    users: dict[str, User], *, seed: int = SEED, people: int = PEOPLE, contacts: int = CONTACTS
) -> dict:
    """Make the city: about ``people`` people and ``contacts`` contacts. Returns counts, and
    the planted duplicate pairs as (first record pk, second record pk)."""
    city = _City(users, random.Random(seed), people=people)  # noqa: S311 — not security
    street_people = max(4, people * 3 // 40)
    city.make_households(people - street_people - 2 * len(words.PLANTED_DUPLICATES))
    city.make_street_people(street_people)
    pairs = city.make_planted_duplicates()
    city.make_care_team()
    city.make_contacts(contacts)
    city.save_contacts_and_flags()
    return {
        "people": len(city.people),
        "households": city.households,
        "contacts": city.contacts,
        "duplicate_pairs": pairs,
    }


class _City:
    def __init__(self, users: dict[str, User], rng: random.Random, *, people: int) -> None:
        self.users = users
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.flags = {flag.code: flag for flag in PopulationFlag.objects.all()}
        self.types = {t.code: t for t in ContactType.objects.all()}
        self.dispositions = {d.code: d for d in Disposition.objects.all()}
        self.people: list[_Facts] = []
        self.households = 0
        self.contacts = 0
        self.person_flags: list[Any] = []
        self.contact_flags: list[Any] = []
        self.pending: list[tuple[Contact, list[Person], list[str]]] = []
        self.phone_numbers = iter(rng.sample(range(100, 10_000), people + 100))
        self.incident_numbers: set[str] = set()
        self.culture_names = list(words.CULTURES)
        self.culture_weights = [c.weight for c in words.CULTURES.values()]

    # --- small choices ---------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def pick(self, options):
        return self.rng.choice(options)

    def culture(self) -> str:
        return self.rng.choices(self.culture_names, self.culture_weights)[0]

    def given(self, culture: str, gender: str, *, child: bool = False) -> str:
        c = words.CULTURES[culture]
        if child and culture not in ("irish", "yankee", "african-american") and self.chance(0.3):
            return self.pick(words.SCHOOLYARD[gender])
        return self.pick(c.female if gender == words.F else c.male)

    def born(self, age: int) -> date:
        month = self.rng.randint(1, 12)
        day = self.rng.randint(1, 28 if month == 2 else monthrange(2001, month)[1])
        year = self.today.year - age - ((month, day) > (self.today.month, self.today.day))
        return date(year, month, day)

    def approximate_born(self, age: int) -> date:
        # As the person form estimates it from an approximate age.
        return self.today.replace(year=self.today.year - age, month=7, day=1)

    def phone(self) -> str:
        number = next(self.phone_numbers)
        area = self.pick(("617", "617", "617", "857", "781"))
        style = self.rng.random()
        if style < 0.5:
            return f"{area}-555-{number:04d}"
        if style < 0.85:
            return f"({area}) 555-{number:04d}"
        return f"{area}555{number:04d}"

    def address(self) -> tuple[str, str, str]:
        if self.chance(0.06):
            city, postal = self.pick(words.ELSEWHERE)
            return (
                f"{self.rng.randint(2, 300)} {self.pick(('Main St', 'Elm St', 'Highland Ave'))}",
                city,
                postal,
            )
        street, postal = self.pick(words.STREETS)
        number = self.rng.randint(1, 420)
        unit = f", Apt {self.rng.randint(1, 6)}{self.pick('ABCD')}" if self.chance(0.45) else ""
        return f"{number} {street}{unit}", "Cambridge", postal

    def created(self) -> datetime:
        # Records came over from the previous system shortly before the two-year window.
        return self.now - timedelta(
            days=self.rng.randint(DAYS + 5, DAYS + 60), minutes=self.rng.randint(0, 600)
        )

    def creator(self) -> User:
        return self.users[self.rng.choices(("officer", "clinician", "supervisor"), (7, 2, 1))[0]]

    # --- people ----------------------------------------------------------------------------

    def save_person(
        self,
        *,
        first: str,
        last: str,
        gender: str,
        culture: str,
        born: date | None,
        kind: str,
        middle: str = "",
        approximate: bool = False,
        address: tuple[str, str, str] = ("", "", ""),
        confidential: bool = False,
        phone: str = "",
        flags: set[str] | None = None,
        names: list[tuple[str, str, str]] | None = None,
        safety: str = "",
        weight: float = 1.0,
        household: Household | None = None,
        created_at: datetime | None = None,
        created_by: User | None = None,
        adult_language: bool = True,
    ) -> _Facts:
        c = words.CULTURES[culture]
        age = _age(born, self.today)
        language = self.pick(c.languages) if adult_language else "English"
        school = grade = ""
        if age is not None and 5 <= age <= 18 and kind in ("juvenile", "child"):
            school, grade = _school(age, self.rng)
        person = Person(
            first_name=first,
            middle_name=middle,
            last_name=last,
            date_of_birth=born,
            dob_approximate=approximate,
            gender=gender,
            race_ethnicity=c.race if self.chance(0.75) else "",
            preferred_language=language if self.chance(0.9) else "",
            interpreter_needed=adult_language and self.chance(c.interpreter),
            phone=phone,
            street=address[0],
            city=address[1],
            postal_code=address[2],
            address_confidential=confidential,
            school=school,
            grade=grade,
            safety_notes=safety,
            created_at=created_at or self.created(),
            created_by=created_by or self.creator(),
        )
        names = names or []
        person.refresh_search_fields(
            [f"{first_name} {last_name}" for _k, first_name, last_name in names]
        )
        _stamp(person, person.created_at, person.created_by)
        person.save()
        for kind_, first_name, last_name in names:
            name = PersonName(person=person, kind=kind_, first_name=first_name, last_name=last_name)
            _stamp(name, person.created_at, person.created_by)
            name.save()
        flags = flags or set()
        for code in sorted(flags):
            self.person_flags.append(
                Person.flags.through(person_id=person.pk, populationflag_id=self.flags[code].pk)
            )
        facts = _Facts(person, weight, kind, household, set(flags))
        self.people.append(facts)
        return facts

    def make_households(self, target: int) -> None:
        start = len(self.people)
        while len(self.people) - start < target:
            shape = self.rng.choices(
                ("two-parent", "single-parent", "grandparents", "senior", "adults"),
                (30, 30, 8, 12, 10),
            )[0]
            getattr(self, "_household_" + shape.replace("-", "_"))()

    def _new_household(self, name: str) -> Household:
        created_at = self.created()
        household = Household(name=name, created_at=created_at)
        _stamp(household, created_at, self.users["officer"])
        household.save()
        self.households += 1
        return household

    def _join(self, household: Household, members: list[_Facts]) -> None:
        for facts in members:
            member = HouseholdMember(household=household, person=facts.person)
            _stamp(member, household.created_at, self.users["officer"])
            member.save()
            facts.household = household

    def _relate(self, person: _Facts, relative: _Facts, kind: str) -> None:
        row = Relationship(person=person.person, relative=relative.person, kind=kind)
        _stamp(row, person.person.created_at, person.person.created_by)
        row.save()

    def _kid_ages(self, count: int) -> list[int]:
        ages: set[int] = set()
        while len(ages) < count:
            roll = self.rng.random()
            if roll < 0.78:
                ages.add(self.rng.randint(10, 17))
            elif roll < 0.92:
                ages.add(self.rng.randint(4, 9))
            else:
                ages.add(self.rng.randint(18, 20))
        return sorted(ages, reverse=True)

    def _adult(self, culture: str, gender: str, age: int, last: str, **extra: Any) -> _Facts:
        flags = set(extra.pop("flags", ()))
        if self.chance(0.08):
            flags.add("mental-health")
        if self.chance(0.05):
            flags.add("substance-use")
        first = self.given(culture, gender)
        names = extra.pop("names", [])
        if first in words.NICKNAMES and self.chance(0.35):
            names.append((PersonName.Kind.NICKNAME, words.NICKNAMES[first], last))
        kind = "senior" if age >= 65 else "adult"
        if kind == "senior" and self.chance(0.7):
            flags.add("senior-care")
        weight = 1.0 + 3 * ("mental-health" in flags) + 2 * ("dv-sa-survivor" in flags)
        weight += 1.5 * ("senior-care" in flags)
        approximate = kind == "senior" and self.chance(0.06)
        return self.save_person(
            first=first,
            last=last,
            gender=gender,
            culture=culture,
            born=self.approximate_born(age) if approximate else self.born(age),
            approximate=approximate,
            kind=kind,
            phone=extra.pop("phone", self.phone() if self.chance(0.85) else ""),
            flags=flags,
            names=names,
            weight=weight,
            **extra,
        )

    def _kids(
        self,
        culture: str,
        ages: list[int],
        father_given: str,
        father_last: str,
        mother_last: str,
        address: tuple[str, str, str],
        confidential: bool,
    ) -> list[_Facts]:
        kids = []
        rule = words.CULTURES[culture].children
        for age in ages:
            gender = words.F if self.chance(0.5) else words.M
            last, middle = father_last, ""
            if rule == "double" and self.chance(0.4):
                last = (
                    f"{father_last} {mother_last}"
                    if self.chance(0.7)
                    else f"{father_last}-{mother_last}"
                )
            elif rule == "mother-middle" and self.chance(0.5):
                middle = mother_last
            elif rule == "patronymic":
                last = father_given
            flags = set()
            juvenile = 10 <= age <= 17
            if juvenile and self.chance(0.85):
                flags.add("juvenile")
            if age >= 10 and self.chance(0.1):
                flags.add("mental-health")
            if age >= 18 and self.chance(0.04):
                flags.add("substance-use")
            first = self.given(culture, gender, child=True)
            names = []
            if first in words.NICKNAMES and self.chance(0.3):
                names.append((PersonName.Kind.NICKNAME, words.NICKNAMES[first], last))
            weight = 3.0 if "juvenile" in flags else 0.8 if age >= 10 else 0.0
            weight += 2 * ("mental-health" in flags)
            kids.append(
                self.save_person(
                    first=first,
                    middle=middle,
                    last=last,
                    gender=gender if not self.chance(0.02) else Person.Gender.NON_BINARY,
                    culture=culture,
                    born=self.born(age),
                    kind="juvenile" if juvenile else "child" if age < 18 else "adult",
                    address=address,
                    confidential=confidential,
                    phone=self.phone() if age >= 13 and self.chance(0.45) else "",
                    flags=flags,
                    names=names,
                    weight=weight,
                    adult_language=False,
                )
            )
        for i, older in enumerate(kids):
            for younger in kids[i + 1 :]:
                self._relate(older, younger, Relationship.Kind.SIBLING)
        return kids

    def _household_two_parent(self) -> None:
        culture = self.culture()
        ages = self._kid_ages(self.pick((1, 2, 2, 3, 3, 4)))
        father_age = min(62, ages[0] + self.rng.randint(21, 40))
        mother_age = max(ages[0] + 18, father_age + self.rng.randint(-6, 3))
        father_last = self.pick(words.CULTURES[culture].surnames)
        mother_culture = culture if self.chance(0.9) else self.culture()
        maiden = self.pick(words.CULTURES[mother_culture].surnames)
        address = self.address()
        father = self._adult(culture, words.M, father_age, father_last, address=address)
        keeps_name = culture in ("hispanic", "ethiopian", "chinese") or self.chance(0.4)
        mother_names = []
        if not keeps_name and self.chance(0.6):
            mother_names.append((PersonName.Kind.PREVIOUS, "", maiden))
        mother = self._adult(
            mother_culture,
            words.F,
            mother_age,
            maiden if keeps_name else father_last,
            address=address,
            names=mother_names,
        )
        kids = self._kids(
            culture, ages, father.person.first_name, father_last, maiden, address, False
        )
        household = self._new_household(f"{father_last} family")
        self._join(household, [father, mother, *kids])
        self._relate(father, mother, Relationship.Kind.PARTNER)
        for parent in (father, mother):
            for kid in kids:
                self._relate(parent, kid, Relationship.Kind.PARENT)

    def _household_single_parent(self) -> None:
        culture = self.culture()
        ages = self._kid_ages(self.pick((1, 1, 2, 2, 3)))
        gender = words.F if self.chance(0.85) else words.M
        age = max(ages[0] + 17, min(58, ages[0] + self.rng.randint(19, 36)))
        last = self.pick(words.CULTURES[culture].surnames)
        survivor = gender == words.F and self.chance(0.3)
        address = self.address()
        flags = {"dv-sa-survivor"} if survivor else set()
        safety = words.SAFETY_NOTES[0] if survivor and self.chance(0.5) else ""
        parent = self._adult(
            culture,
            gender,
            age,
            last,
            address=address,
            confidential=survivor,
            flags=flags,
            safety=safety,
        )
        absent = self.given(culture, words.M)
        absent_last = self.pick(words.CULTURES[culture].surnames)
        if gender == words.F and self.chance(0.5):
            father_given, father_last, mother_last = absent, absent_last, last
        else:
            father_given, father_last, mother_last = parent.person.first_name, last, absent_last
        kids = self._kids(culture, ages, father_given, father_last, mother_last, address, survivor)
        household = self._new_household(f"{last} family")
        self._join(household, [parent, *kids])
        for kid in kids:
            self._relate(parent, kid, Relationship.Kind.PARENT)

    def _household_grandparents(self) -> None:
        culture = self.culture()
        ages = self._kid_ages(self.pick((1, 2)))
        last = self.pick(words.CULTURES[culture].surnames)
        address = self.address()
        grandmother = self._adult(culture, words.F, self.rng.randint(56, 78), last, address=address)
        guardians = [grandmother]
        if self.chance(0.4):
            grandfather = self._adult(
                culture, words.M, self.rng.randint(58, 80), last, address=address
            )
            self._relate(grandfather, grandmother, Relationship.Kind.PARTNER)
            guardians.append(grandfather)
        father = self.given(culture, words.M)
        kids = self._kids(
            culture, ages, father, last, self.pick(words.CULTURES[culture].surnames), address, False
        )
        household = self._new_household(f"{last} family")
        self._join(household, [*guardians, *kids])
        for guardian in guardians:
            for kid in kids:
                self._relate(guardian, kid, Relationship.Kind.GUARDIAN)

    def _household_senior(self) -> None:
        culture = self.culture()
        last = self.pick(words.CULTURES[culture].surnames)
        address = self.address()
        senior = self._adult(
            culture,
            self.pick((words.F, words.F, words.M)),
            self.rng.randint(68, 94),
            last,
            address=address,
        )
        members = [senior]
        if self.chance(0.3):
            partner = self._adult(
                culture,
                words.M if senior.person.gender == words.F else words.F,
                self.rng.randint(68, 90),
                last,
                address=address,
            )
            self._relate(senior, partner, Relationship.Kind.PARTNER)
            members.append(partner)
        if self.chance(0.5):
            child_age = senior.person.age - self.rng.randint(22, 35)
            carer = self._adult(
                culture, self.pick((words.F, words.M)), max(30, child_age), last, address=address
            )
            self._relate(carer, senior, Relationship.Kind.CAREGIVER)
            members.append(carer)
        household = self._new_household(f"{last} household")
        self._join(household, members)

    def _household_adults(self) -> None:
        culture = self.culture()
        last = self.pick(words.CULTURES[culture].surnames)
        address = self.address()
        survivor = self.chance(0.25)
        first = self._adult(
            culture,
            words.F if survivor or self.chance(0.5) else words.M,
            self.rng.randint(19, 64),
            last,
            address=address,
            confidential=survivor,
            flags={"dv-sa-survivor"} if survivor else set(),
            safety=self.pick(words.SAFETY_NOTES[:1] + words.SAFETY_NOTES[10:11])
            if survivor
            else "",
        )
        members = [first]
        if not survivor and self.chance(0.5):
            other_culture = culture if self.chance(0.8) else self.culture()
            partner = self._adult(
                other_culture,
                self.pick((words.F, words.M)),
                max(19, first.person.age + self.rng.randint(-6, 6)),
                self.pick(words.CULTURES[other_culture].surnames),
                address=address,
            )
            self._relate(first, partner, Relationship.Kind.PARTNER)
            members.append(partner)
        household = self._new_household(f"{last} household")
        self._join(household, members)

    def make_street_people(self, count: int) -> None:
        """Adults without a fixed address, most of them known to the outreach officers."""
        for _ in range(count):
            culture = self.culture()
            gender = words.M if self.chance(0.7) else words.F
            age = self.rng.randint(22, 70)
            last = self.pick(words.CULTURES[culture].surnames)
            flags = {"homeless"}
            if self.chance(0.5):
                flags.add("mental-health")
            if self.chance(0.4):
                flags.add("substance-use")
            names = []
            if self.chance(0.4):
                names.append((PersonName.Kind.ALIAS, self.pick(words.STREET_NAMES), ""))
            approximate = self.chance(0.3)
            self.save_person(
                first=self.given(culture, gender),
                last=last,
                gender=gender,
                culture=culture,
                born=self.approximate_born(age) if approximate else self.born(age),
                approximate=approximate,
                kind="street",
                address=("", "Cambridge", ""),
                phone=self.phone() if self.chance(0.35) else "",
                flags=flags,
                names=names,
                safety=self.pick(words.SAFETY_NOTES[2:8]) if self.chance(0.2) else "",
                weight=6.0 + 3 * ("mental-health" in flags),
            )

    def make_planted_duplicates(self) -> list[tuple[int, int]]:
        originals = []
        for spec in words.PLANTED_DUPLICATES:
            born = self.born(spec.age)
            if spec.dob == "swapped":
                # Day and month must both read as a month for the swap to be a real date.
                born = born.replace(day=self.rng.randint(1, 12))
                if born.day == born.month:
                    born = born.replace(day=born.month % 12 + 1)
            kind = "juvenile" if spec.age < 18 else "senior" if spec.age >= 65 else "adult"
            originals.append(
                self.save_person(
                    first=spec.first,
                    last=spec.last,
                    gender=spec.gender,
                    culture=spec.culture,
                    born=born,
                    kind=kind,
                    address=self.address() if "homeless" not in spec.flags else ("", "", ""),
                    confidential="dv-sa-survivor" in spec.flags,
                    phone=self.phone(),
                    flags=set(spec.flags),
                    weight=0.0,  # their contacts are made below, on both records
                    adult_language=kind != "juvenile",
                )
            )
        pairs = []
        for spec, original in zip(words.PLANTED_DUPLICATES, originals, strict=True):
            first = original.person
            born = _variant(first.date_of_birth, spec.dob, self.pick((-1, 1)))
            when = self.now - timedelta(
                days=self.rng.randint(60, 500), hours=self.rng.randint(0, 9)
            )
            second = self.save_person(
                first=spec.second_first,
                middle=spec.second_middle,
                last=spec.second_last,
                gender=spec.gender if self.chance(0.7) else Person.Gender.UNKNOWN,
                culture=spec.culture,
                born=born,
                kind=original.kind,
                # Entered in a hurry in the field: the phone, if any, is the one first given.
                phone=first.phone if spec.dob == "none" or self.chance(0.3) else "",
                flags=set(spec.flags[:1]),
                weight=0.0,
                created_at=when,
                created_by=self.users["officer"],
                adult_language=original.kind != "juvenile",
            )
            for facts, count, start in (
                (original, self.rng.randint(2, 5), None),
                (second, self.rng.randint(1, 3), when),
            ):
                for _ in range(count):
                    self.add_contact([facts], after=start)
            pairs.append((first.pk, second.person.pk))
        return pairs

    def make_care_team(self) -> None:
        """The demo clinician works with people in crisis, survivors and flagged youth; the
        intern with a few of the clinician's people (an intern never works alone)."""
        clinician, intern = self.users["clinician"], self.users["intern"]
        for facts in self.people:
            serious = facts.flags & {"mental-health", "dv-sa-survivor", "substance-use"}
            odds = 0.45 if serious else 0.12 if "juvenile" in facts.flags else 0.0
            if not self.chance(odds):
                continue
            since = self.today - timedelta(days=self.rng.randint(20, DAYS))
            for user, role in ((clinician, "Clinician"), (intern, "Clinical intern")):
                if user is intern and not self.chance(0.25):
                    break
                member = CareTeamMember(person=facts.person, user=user, role=role, started_on=since)
                _stamp(member, _at(since), self.users["supervisor"])
                member.save()
                facts.care_team.add(user.username)
                facts.weight += 1.0

    # --- contacts --------------------------------------------------------------------------

    def make_contacts(self, target: int) -> None:
        candidates = [facts for facts in self.people if facts.weight > 0]
        weights = [facts.weight for facts in candidates]
        households: dict[int, list[_Facts]] = {}
        for facts in self.people:
            if facts.household is not None and facts.kind != "child":
                households.setdefault(facts.household.pk, []).append(facts)
        for _ in range(DRAFTS):
            self.add_contact([self.rng.choices(candidates, weights)[0]], draft=True)
        while self.contacts < target:
            primary = self.rng.choices(candidates, weights)[0]
            involved = [primary]
            if primary.household is not None and self.chance(0.3):
                others = [f for f in households[primary.household.pk] if f is not primary]
                if others:
                    involved += self.rng.sample(others, min(len(others), self.pick((1, 1, 2))))
            self.add_contact(involved)

    def when(self, *, after: datetime | None = None) -> datetime:
        """A past moment, mostly on weekdays and in daytime (when officers log contacts)."""
        earliest = min(DAYS, (self.now - after).days - 1) if after else DAYS
        while True:
            day = self.today - timedelta(days=self.rng.randint(1, max(2, earliest)))
            if day.weekday() >= 5 and self.chance(0.55):
                continue
            hour = self.rng.choices(range(24), words.HOUR_WEIGHTS)[0]
            moment = timezone.make_aware(datetime.combine(day, time(hour, self.rng.randint(0, 59))))
            if moment < self.now - timedelta(hours=2) and (after is None or moment > after):
                return moment

    def add_contact(
        self, involved: list[_Facts], *, draft: bool = False, after: datetime | None = None
    ) -> Contact:
        """A contact, written later (with its people) by ``save_contacts_and_flags``."""
        primary = involved[0]
        if draft:
            occurred = self.now - timedelta(hours=self.rng.randint(2, 40))
        else:
            occurred = self.when(after=after or primary.person.created_at)
        type_code = self.contact_type(primary)
        disposition_code = self.disposition(primary, type_code)
        author = self.author(primary, type_code, draft=draft)
        location = self.location(primary, type_code)
        created = occurred + timedelta(minutes=self.rng.randint(5, 50))
        contact = Contact(
            occurred_at=occurred,
            location=location,
            contact_type=self.types[type_code],
            narrative=self.narrative(primary, type_code, disposition_code, location),
            disposition=None if draft and self.chance(0.5) else self.dispositions[disposition_code],
            incident_number=self.incident_number(occurred, type_code, disposition_code),
            consultation_requested=type_code == "crisis" and self.chance(0.3),
            status=Contact.Status.DRAFT if draft else Contact.Status.FINAL,
            author=author,
            created_at=created,
            finalised_at=None if draft else created + timedelta(minutes=self.rng.randint(0, 30)),
            submission_key=uuid.UUID(int=self.rng.getrandbits(128), version=4),
        )
        _stamp(contact, created, author)
        flags = [code for code in sorted(primary.flags - {"substance-use"}) if self.chance(0.7)]
        self.pending.append((contact, [facts.person for facts in involved], flags))
        self.contacts += 1
        return contact

    def contact_type(self, facts: _Facts) -> str:
        group = next(
            (flag for flag in ("dv-sa-survivor", "mental-health") if flag in facts.flags),
            facts.kind if facts.kind in words.CONTACT_TYPES else "other",
        )
        return self.rng.choices(*words.weighted(words.CONTACT_TYPES[group]))[0]

    def disposition(self, facts: _Facts, type_code: str) -> str:
        if type_code == "crisis":
            group = "crisis"
        elif "dv-sa-survivor" in facts.flags:
            group = "dv-sa-survivor"
        else:
            group = "juvenile" if facts.kind == "juvenile" else "other"
        code = self.rng.choices(*words.weighted(words.DISPOSITIONS[group]))[0]
        if code in words.ENFORCEMENT and type_code not in ("call-for-service", "school-visit"):
            code = "referral"
        return code

    def author(self, facts: _Facts, type_code: str, *, draft: bool) -> User:
        if draft:
            return self.users["officer"]
        if "clinician" in facts.care_team and self.chance(0.35):
            return self.users["clinician"]
        weights = (60, 30, 10) if type_code == "crisis" else (76, 14, 10)
        return self.users[self.rng.choices(("officer", "clinician", "supervisor"), weights)[0]]

    def location(self, facts: _Facts, type_code: str) -> str:
        person = facts.person
        if type_code == "home-visit":
            if person.address_confidential:
                return "Residence (address confidential)"
            return person.street or "Shelter"
        if type_code == "school-visit" and person.school:
            return person.school
        return self.pick(words.PLACES)

    def incident_number(self, occurred: datetime, type_code: str, disposition_code: str) -> str:
        official = type_code in ("call-for-service", "crisis") or disposition_code in (
            "arrest",
            "summons",
            "diverted",
        )
        if not official and not self.chance(0.15):
            return ""
        local = timezone.localtime(occurred)
        while True:
            sequence = local.timetuple().tm_yday * 40 + self.rng.randint(0, 39)
            number = f"{local.year % 100:02d}-{sequence:06d}"
            if number not in self.incident_numbers:
                self.incident_numbers.add(number)
                return number

    def narrative(self, facts: _Facts, type_code: str, disposition_code: str, location: str) -> str:
        person = facts.person
        values = {
            "name": person.first_name,
            "place": location,
            "school": person.school or words.HIGH,
            "service": self.pick(words.SERVICES),
            "offense": self.pick(
                words.OFFENSES_YOUTH if facts.kind == "juvenile" else words.OFFENSES_ADULT
            ),
            "language": person.preferred_language or "English",
        }
        opening = self.pick(words.OPENINGS[type_code]).format(**values)
        ending = self.pick(words.ENDINGS[disposition_code]).format(**values)
        extra = ""
        if person.interpreter_needed and self.chance(0.6):
            extra = " Spoke through a {language} interpreter on the language line.".format(**values)
        return f"{opening}{extra} {ending}"

    def save_contacts_and_flags(self) -> None:
        """Write the contacts, their people and the flag rows.

        Thousands of contacts are inserted in batches with their history rows (simple-history's
        ``bulk_create_with_history`` honours each row's ``_history_date`` and
        ``_history_user``), which is several times faster than saving them one by one; the
        many-to-many flag rows have no history of their own.
        """
        contacts = [contact for contact, _people, _flags in self.pending]
        bulk_create_with_history(contacts, Contact, batch_size=BATCH)
        links = []
        for contact, people, flags in self.pending:
            for person in people:
                link = ContactPerson(contact=contact, person=person)
                _stamp(link, contact.created_at, contact.author)
                links.append(link)
            self.contact_flags += [
                Contact.flags.through(contact_id=contact.pk, populationflag_id=self.flags[code].pk)
                for code in flags
            ]
        bulk_create_with_history(links, ContactPerson, batch_size=BATCH)
        Person.flags.through.objects.bulk_create(self.person_flags, batch_size=BATCH)
        Contact.flags.through.objects.bulk_create(self.contact_flags, batch_size=BATCH)


def _stamp(obj: Any, when: datetime, user: User | None) -> None:
    """Date and attribute the history row as if the record had been entered at the time."""
    obj._history_date = when
    obj._history_user = user


def _variant(born: date, how: str, years: int) -> date | None:
    """The date of birth as the second entry got it."""
    if how == "swapped":
        return date(born.year, born.day, born.month)
    if how == "year":
        return born.replace(year=born.year + years)
    return None if how == "none" else born


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def _age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _school(age: int, rng: random.Random) -> tuple[str, str]:
    grade = age - 5 + (1 if rng.random() < 0.1 else 0)
    if grade <= 0:
        return rng.choice(words.ELEMENTARY), "K"
    if grade <= 5:
        return rng.choice(words.ELEMENTARY), str(grade)
    if grade <= 8:
        return rng.choice(words.UPPER), str(grade)
    return words.HIGH, str(min(grade, 12))
