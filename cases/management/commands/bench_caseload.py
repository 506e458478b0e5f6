"""Time the caseload reads on a large synthetic section (PostgreSQL only).

Run it against a database of its own, never the real one::

    createdb -h 127.0.0.1 -U postgres cfsj_bench_cases
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/cfsj_bench_cases
    python manage.py migrate
    python manage.py bench_caseload            # --cases 50000 --runs 20 by default

It makes (with ``bulk_create``) one supervisor of the three units, 40 workers, 50,000 cases,
50,000 people, 100,000 contacts and 80,000 tasks, then times ``team_caseloads`` for the
supervisor, ``caseload_rows`` for a worker and the first page of ``case_list`` for the
supervisor. It refuses a database holding cases it did not make; ``--reuse`` times the data of
an earlier run. The figures go in docs/performance.md ("Caseloads").
"""

import random
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Unit, User
from accounts.roles import Role
from cases.management.commands._bench_names import FIRST_NAMES, LAST_NAMES
from cases.models import Case, CaseType, Contact, ContactPerson, Person, PopulationFlag, Task
from cases.selectors_caseload import CaseFilters, case_list, caseload_rows, team_caseloads

SUPERVISOR = "bench_cl_supervisor"
WORKERS = 40
BATCH = 5_000
SEED = 20250704
UNITS = ("family-justice", "social-justice", "clinical-support")
RISKS = (Case.Risk.LOW,) * 5 + (Case.Risk.MODERATE,) * 3 + (Case.Risk.HIGH,) * 2
STATUSES = (
    (Case.Status.ACTIVE,) * 5
    + (Case.Status.OPEN,) * 2
    + (
        Case.Status.REFERRED,
        Case.Status.CLOSING,
    )
    + (Case.Status.CLOSED,) * 3
)


class Command(BaseCommand):
    help = "Fill a separate PostgreSQL database with synthetic casework and time caseload reads."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=50_000, help="how many (50000)")
        parser.add_argument("--runs", type=int, default=20, help="timed runs per read (20)")
        parser.add_argument("--reuse", action="store_true", help="time the data of an earlier run")

    def handle(self, *args, cases: int, runs: int, reuse: bool, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_caseload measures PostgreSQL; this database is "
                f"{connection.vendor}. Point DATABASE_URL at a separate PostgreSQL database "
                "(e.g. postgres://postgres@127.0.0.1:5432/cfsj_bench_cases), migrate it, and "
                "run again."
            )
        self.rng = random.Random(SEED)  # noqa: S311 — reproducible synthetic data, not secrets
        supervisor = self._user(SUPERVISOR, Role.SUPERVISOR, UNITS)
        foreign = Case.objects.exclude(created_by=supervisor).count()
        if foreign:
            raise CommandError(
                f"This database holds {foreign} cases the benchmark did not make: run it "
                "against a database of its own."
            )
        existing = Case.objects.count()
        if existing and not reuse:
            raise CommandError(f"{existing} synthetic cases exist already: pass --reuse.")
        if not existing:
            self._create(supervisor, cases)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self._time(supervisor, runs)

    # --- data ---------------------------------------------------------------------------------

    def _user(self, username: str, role: str, units: tuple[str, ...]) -> User:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": "Bench", "last_name": username[-6:]}
        )
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=role))
            user.units.add(*Unit.objects.filter(code__in=units))
        return user

    def _batches(self, label: str, total: int, make: Callable[[int], list]) -> list:
        """Call ``make(n)`` for batches of up to BATCH rows, bulk-create them, show progress."""
        self.stdout.write(f"{label}: {total}")
        started, made, rows = time.perf_counter(), 0, []
        while made < total:
            objs = make(min(BATCH, total - made))
            with transaction.atomic():
                rows += type(objs[0]).objects.bulk_create(objs)
            made += len(objs)
            self.stdout.write(f"\r  {100 * made // total:3d}%  {made}/{total}", ending="")
            self.stdout.flush()
        self.stdout.write(f"\n  done in {time.perf_counter() - started:.0f} s")
        return rows

    def _create(self, supervisor: User, count: int) -> None:
        rng, now, today = self.rng, timezone.now(), timezone.localdate()
        workers_by_unit: dict[int, list[User]] = {}
        for index in range(WORKERS):
            code = UNITS[index % len(UNITS)]
            role = Role.INTERN if index % 8 == 7 else Role.CLINICIAN
            worker = self._user(f"bench_cl_worker{index:02d}", role, (code,))
            workers_by_unit.setdefault(next(iter(worker.unit_ids)), []).append(worker)
        units = list(workers_by_unit)
        case_types = list(CaseType.objects.all())
        flags = list(PopulationFlag.objects.all())

        def people(n: int) -> list[Person]:
            batch = []
            for _ in range(n):
                person = Person(
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choice(LAST_NAMES),
                    date_of_birth=today - timedelta(days=rng.randint(3_000, 30_000)),
                    created_by=supervisor,
                )
                person.refresh_search_fields([])
                batch.append(person)
            return batch

        made_people = self._batches("people", count, people)
        person_ids = [p.pk for p in made_people]
        links = [
            Person.flags.through(person_id=pid, populationflag_id=rng.choice(flags).pk)
            for pid in person_ids
            if rng.random() < 0.3
        ]
        Person.flags.through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)

        pending = iter(person_ids)

        def cases(n: int) -> list[Case]:
            batch = []
            for _ in range(n):
                unit = rng.choice(units)
                status = rng.choice(STATUSES)
                opened = today - timedelta(days=rng.randint(0, 1_000))
                batch.append(
                    Case(
                        person_id=next(pending),
                        unit_id=unit,
                        case_type=rng.choice(case_types),
                        reason="Synthetic case for the caseload benchmark.",
                        risk=rng.choice(RISKS),
                        assigned_to=rng.choice(workers_by_unit[unit]),
                        status=status,
                        opened_on=opened,
                        closed_on=today if status == Case.Status.CLOSED else None,
                        created_by=supervisor,
                    )
                )
            return batch

        made_cases = self._batches("cases", count, cases)
        teams = [
            Case.team.through(case_id=case.pk, user=rng.choice(workers_by_unit[case.unit_id]))
            for case in made_cases
            if rng.random() < 0.1
        ]
        Case.team.through.objects.bulk_create(teams, batch_size=BATCH, ignore_conflicts=True)

        workers = [w for ws in workers_by_unit.values() for w in ws]

        def contacts(n: int) -> list[Contact]:
            return [
                Contact(
                    occurred_at=now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60)),
                    author=rng.choice(workers),
                    status=Contact.Status.FINAL if rng.random() < 0.95 else Contact.Status.DRAFT,
                    narrative="Synthetic contact.",
                )
                for _ in range(n)
            ]

        made_contacts = self._batches("contacts", 2 * count, contacts)
        contact_ids = iter([c.pk for c in made_contacts])

        def participants(n: int) -> list[ContactPerson]:
            return [
                ContactPerson(
                    contact_id=next(contact_ids),
                    person_id=rng.choice(person_ids),
                    removed_at=now if rng.random() < 0.01 else None,
                )
                for _ in range(n)
            ]

        self._batches("contact people", len(made_contacts), participants)

        def tasks(n: int) -> list[Task]:
            batch = []
            for _ in range(n):
                case = rng.choice(made_cases)
                done = case.status == Case.Status.CLOSED or rng.random() < 0.6
                batch.append(
                    Task(
                        title="Synthetic follow-up",
                        due_on=today + timedelta(days=rng.randint(-60, 60)),
                        assignee=case.assigned_to,
                        case=case,
                        done_at=now if done else None,
                        created_by=supervisor,
                    )
                )
            return batch

        self._batches("tasks", count * 8 // 5, tasks)

    # --- timing -------------------------------------------------------------------------------

    def _time(self, supervisor: User, runs: int) -> None:
        worker = (
            User.objects.filter(username__startswith="bench_cl_worker", groups__name=Role.CLINICIAN)
            .order_by("username")
            .first()
        )
        total = Case.objects.count()
        mine = caseload_rows(worker)
        self.stdout.write(
            f"\n{total} cases; {Contact.objects.count()} contacts; {Task.objects.count()} tasks; "
            f"{worker.username} holds {len(mine)} open cases. {runs} runs after one warm-up.\n"
        )
        reads = (
            ("team_caseloads (supervisor)", lambda: team_caseloads(supervisor)),
            ("caseload_rows (worker, by risk)", lambda: caseload_rows(worker)),
            (
                "caseload_rows (worker, no contact 30 d)",
                lambda: caseload_rows(worker, filters=CaseFilters(no_contact_days=30)),
            ),
            (
                "case_list page 1 (supervisor, opened)",
                lambda: list(case_list(supervisor, CaseFilters(sort="opened"))),
            ),
            (
                "case_list page 1 (supervisor, by risk)",
                lambda: list(case_list(supervisor, CaseFilters(sort="risk"))),
            ),
        )
        header = f"{'read':<42} {'rows':>6} {'median':>9} {'p95':>9}"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for label, read in reads:
            rows = read()
            durations = []
            for _ in range(runs):
                started = time.perf_counter()
                read()
                durations.append((time.perf_counter() - started) * 1000)
            durations.sort()
            median = statistics.median(durations)
            p95 = durations[min(len(durations) - 1, round(0.95 * (len(durations) - 1)))]
            self.stdout.write(f"{label:<42} {len(rows):>6} {median:>7.1f}ms {p95:>7.1f}ms")
