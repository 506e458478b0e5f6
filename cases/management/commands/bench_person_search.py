"""Time person search on a large synthetic population (PostgreSQL only).

Run it against a database of its own, never the real one::

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cfsj_bench
    createdb -h 127.0.0.1 -U postgres cfsj_bench
    python manage.py migrate
    python manage.py bench_person_search --people 200000

It refuses a database that holds people it did not make. ``--reuse`` keeps the synthetic people
of an earlier run and only adds the missing ones. The figures go in docs/performance.md.
"""

import random
import statistics
import time
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from cases.management.commands._bench_names import (
    FIRST_NAMES,
    LAST_NAMES,
    NICKNAMES,
)
from cases.models import Person
from cases.search import search_people
from cfsj.lib.text import age_on

BENCH_USER = "bench_person_search"
BATCH = 5_000
SEED = 20250615

# Planted people the queries must find first, with the query and what it exercises.
PLANTED = (
    {"first_name": "John", "last_name": "Smith", "date_of_birth": date(2009, 3, 14),
     "phone": "(617) 555-0142"},
    {"first_name": "Robert", "last_name": "Jones", "date_of_birth": date(1988, 7, 2)},
    {"first_name": "José", "last_name": "Núñez", "date_of_birth": date(1975, 11, 30)},
)  # fmt: skip
# (what it exercises, the query, who must come first — or, for a date of birth shared by a
# few people, be among the hits).
QUERIES = (
    ("typo", "Jon Smyth", "John Smith"),
    ("typo, both words", "Jhon Smtih", "John Smith"),
    ("swapped", "Smith John", "John Smith"),
    ("nickname", "Bobby Jones", "Robert Jones"),
    ("no accents", "Jose Nunez", "José Núñez"),
    ("date of birth", "3/14/2009", "among: John Smith"),
    ("phone", "617 555 0142", "John Smith"),
    ("name and age", "Smith {age}", "John Smith"),
    ("age only", "16", None),
    ("one common surname", "Garcia", None),
    ("typing a prefix", "Mar", None),
)


class Command(BaseCommand):
    help = "Fill a separate PostgreSQL database with synthetic people and time person search."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=200_000, help="how many (200000)")
        parser.add_argument("--runs", type=int, default=20, help="timed runs per query (20)")
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="keep the synthetic people of an earlier run; create only the missing ones",
        )

    def handle(self, *args, people: int, runs: int, reuse: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_person_search measures the PostgreSQL search (pg_trgm index); this "
                f"database is {connection.vendor}. Point DATABASE_URL at a separate PostgreSQL "
                "database (e.g. postgres://postgres@127.0.0.1:5432/cfsj_bench), migrate it, "
                "and run again."
            )
        bench_user = self._bench_user()
        foreign = Person.objects.exclude(created_by=bench_user).count()
        if foreign:
            raise CommandError(
                f"This database holds {foreign} people the benchmark did not make: run it "
                "against a database of its own."
            )
        existing = Person.objects.count()
        if existing and not reuse:
            raise CommandError(
                f"{existing} synthetic people exist already: pass --reuse to keep them."
            )
        if existing < people:
            self._create(bench_user, people - existing, first=existing == 0)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE cases_person")
        self._time(bench_user, runs, Person.objects.count())

    def _bench_user(self) -> User:
        user, created = User.objects.get_or_create(
            username=BENCH_USER, defaults={"first_name": "Bench", "last_name": "Supervisor"}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=Role.SUPERVISOR))
        return user

    def _create(self, user: User, count: int, *, first: bool) -> None:
        # Reproducible synthetic data, not secrets.
        rng = random.Random(SEED + count)  # noqa: S311
        today = timezone.localdate()
        self.stdout.write(f"Creating {count} synthetic people…")
        started = time.perf_counter()
        made = 0
        # The planted people land at random places, not first: ties are broken by id.
        planted = {rng.randrange(count): fields for fields in PLANTED} if first else {}
        while made < count:
            batch = []
            for _ in range(min(BATCH, count - made)):
                fields = planted.get(made + len(batch)) or self._random_person(rng, today)
                person = Person(created_by=user, **fields)
                aliases = [rng.choice(NICKNAMES)] if rng.random() < 0.05 else []
                person.refresh_search_fields(aliases)
                batch.append(person)
            with transaction.atomic():
                Person.objects.bulk_create(batch)
            made += len(batch)
            self.stdout.write(f"\r  {100 * made // count:3d}%  {made}/{count}", ending="")
            self.stdout.flush()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"\n  done in {elapsed:.0f} s")

    @staticmethod
    def _random_person(rng: random.Random, today: date) -> dict:
        born = today - timedelta(days=rng.randint(365, 90 * 365))
        phone = ""
        if rng.random() < 0.7:
            phone = f"({rng.choice((617, 857, 781, 508))}) {rng.randint(200, 999)}-" + (
                f"{rng.randint(0, 9999):04d}"
            )
        return {
            "first_name": rng.choice(FIRST_NAMES),
            "middle_name": rng.choice(FIRST_NAMES) if rng.random() < 0.4 else "",
            "last_name": rng.choice(LAST_NAMES)
            if rng.random() < 0.93
            else f"{rng.choice(LAST_NAMES)}-{rng.choice(LAST_NAMES)}",
            "date_of_birth": born if rng.random() < 0.95 else None,
            "dob_approximate": rng.random() < 0.05,
            "phone": phone,
        }

    def _time(self, user: User, runs: int, population: int) -> None:
        self.stdout.write(
            f"\nsearch_people as a supervisor, {population} people, {runs} runs per query "
            "(after one warm-up run)\n"
        )
        header = f"{'query':<22} {'text':<14} {'hits':>4} {'first':<12} {'median':>8} {'p95':>8}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        slowest = 0.0
        age = age_on(PLANTED[0]["date_of_birth"], timezone.localdate())
        for label, template, expected in QUERIES:
            text = template.format(age=age)
            hits = search_people(user, text)
            durations = []
            for _ in range(runs):
                started = time.perf_counter()
                search_people(user, text)
                durations.append((time.perf_counter() - started) * 1000)
            durations.sort()
            median = statistics.median(durations)
            p95 = durations[min(len(durations) - 1, round(0.95 * (len(durations) - 1)))]
            slowest = max(slowest, p95)
            # First and last names: a random middle name does not make another person.
            names = [f"{hit.person.first_name} {hit.person.last_name}" for hit in hits]
            first = names[0] if names else "—"
            if expected is None:
                verdict = ""
            elif expected.startswith("among: "):
                verdict = "" if expected.removeprefix("among: ") in names else "  NOT FOUND"
            else:
                verdict = "" if first == expected else "  WRONG FIRST HIT"
            self.stdout.write(
                f"{label:<22} {text:<14} {len(hits):>4} {first[:12]:<12} "
                f"{median:>6.1f}ms {p95:>6.1f}ms{verdict}"
            )
        self.stdout.write(f"\nslowest p95: {slowest:.1f} ms")
