"""Reads for caseloads, the case list and tasks (issue 4), each in a fixed number of queries
whatever the number of cases.

Every row is a :class:`cases.models.Case` annotated in SQL, never per row:

* ``last_contact`` — the latest ``occurred_at`` of a *final* contact still linked to the case's
  person (a person unlinked from a contact by mistake does not count);
* ``next_due`` — the earliest due date of the case's open tasks;
* ``overdue`` — whether an open task is past due, i.e. ``next_due`` is before today (the earliest
  open due date is overdue exactly when any open task is);
* ``risk_rank`` — 3 high, 2 moderate, 1 low, so that risk sorts by meaning, not alphabetically.

The person's population flags are prefetched into ``case.person.shown_flags``, restricted flags
left out for users who may not see them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as Choose
from django.utils import timezone

from accounts import access
from accounts.models import Unit, User
from cases import permissions
from cases.models import Case, Contact, ContactPerson, PopulationFlag, Task

CASE_LIST_PAGE_SIZE = 25
MY_TASKS_LIMIT = 20
# "Cases without contact" on the supervisor's team view (DESIGN.md: cases without contact).
NO_CONTACT_DAYS = 30

SORTS = ("risk", "last_contact", "next_due", "opened")


@dataclass(frozen=True)
class CaseFilters:
    """What the caseload and the case list are narrowed and sorted by. ``status`` "" means
    every status but closed, "all" every status; ``worker`` (case list) is the assigned one."""

    unit: Unit | None = None
    status: str = ""
    risk: str = ""
    overdue: bool = False
    no_contact_days: int | None = None
    worker: User | None = None
    sort: str = "risk"


@dataclass
class WorkerLoad:
    """One worker's row on the supervisor's team view."""

    worker: User
    high: int = 0
    moderate: int = 0
    low: int = 0
    overdue_tasks: int = 0
    no_contact: int = 0

    @property
    def open_cases(self) -> int:
        return self.high + self.moderate + self.low


def _last_contact() -> Subquery:
    return Subquery(
        ContactPerson.objects.filter(
            person_id=OuterRef("person_id"),
            removed_at__isnull=True,
            contact__status=Contact.Status.FINAL,
        )
        .order_by("-contact__occurred_at")
        .values("contact__occurred_at")[:1]
    )


def _next_due() -> Subquery:
    return Subquery(
        Task.objects.filter(case_id=OuterRef("pk"), done_at__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )


def _contacted_since(since: Any) -> QuerySet:
    """The ids of the people with a final contact (still linked) since ``since``."""
    return ContactPerson.objects.filter(
        removed_at__isnull=True,
        contact__status=Contact.Status.FINAL,
        contact__occurred_at__gte=since,
    ).values("person_id")


RISK_RANK = Choose(
    When(risk=Case.Risk.HIGH, then=Value(3)),
    When(risk=Case.Risk.MODERATE, then=Value(2)),
    default=Value(1),
    output_field=IntegerField(),
)


def _annotated(user: Any, queryset: QuerySet) -> QuerySet:
    today = timezone.localdate()
    flags = PopulationFlag.objects.order_by("position", "name")
    if not permissions.may_see_restricted_flags(user):
        flags = flags.filter(restricted=False)
    return (
        queryset.select_related("person", "household", "unit", "assigned_to")
        .prefetch_related(Prefetch("person__flags", queryset=flags, to_attr="shown_flags"))
        .annotate(
            last_contact=_last_contact(),
            next_due=_next_due(),
            risk_rank=RISK_RANK,
        )
        .annotate(
            overdue=ExpressionWrapper(
                Q(next_due__lt=today, next_due__isnull=False), output_field=BooleanField()
            )
        )
    )


def _filtered(queryset: QuerySet, filters: CaseFilters) -> QuerySet:
    if filters.status == "":
        queryset = queryset.exclude(status=Case.Status.CLOSED)
    elif filters.status != "all":
        queryset = queryset.filter(status=filters.status)
    if filters.unit is not None:
        queryset = queryset.filter(unit=filters.unit)
    if filters.risk:
        queryset = queryset.filter(risk=filters.risk)
    if filters.worker is not None:
        queryset = queryset.filter(assigned_to=filters.worker)
    if filters.overdue:
        queryset = queryset.filter(next_due__lt=timezone.localdate())
    if filters.no_contact_days:
        # The same as "last_contact is null or older", but hashed once rather than per case.
        since = timezone.now() - timedelta(days=filters.no_contact_days)
        queryset = queryset.exclude(person_id__in=_contacted_since(since))
    return queryset


def _sorted(queryset: QuerySet, sort: str) -> QuerySet:
    next_due = F("next_due").asc(nulls_last=True)
    orders = {
        # Highest risk first; within a risk, the most pressing task.
        "risk": (F("risk_rank").desc(), next_due, "-pk"),
        # Longest without contact first; never contacted before anyone.
        "last_contact": (F("last_contact").asc(nulls_first=True), "-pk"),
        "next_due": (next_due, F("risk_rank").desc(), "-pk"),
        "opened": ("-opened_on", "-pk"),
    }
    return queryset.order_by(*orders.get(sort, orders["risk"]))


def _cases(user: Any, filters: CaseFilters) -> QuerySet:
    return _sorted(
        _filtered(_annotated(user, access.visible_to(user, Case)), filters), filters.sort
    )


@contextmanager
def _without_jit() -> Iterator[None]:
    """PostgreSQL prices the per-row subqueries above high enough to JIT-compile the query,
    which then spends 0.4–0.9 s compiling a query that runs in 0.1 s (docs/performance.md,
    "Caseloads"). Off for this transaction only."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jit', 'off', true)")
        yield


def caseload_rows(user: Any, *, owner: Any = None, filters: CaseFilters = CaseFilters()) -> list:
    """The cases ``owner`` (by default the user) is assigned to or on the team of, as far as
    ``user`` may see them. Two queries: the annotated cases, the flags."""
    owner = owner or user
    on_team = Exists(Case.team.through.objects.filter(case_id=OuterRef("pk"), user_id=owner.pk))
    with _without_jit():
        return list(_cases(user, filters).filter(Q(assigned_to=owner) | on_team))


def case_list(user: Any, filters: CaseFilters = CaseFilters(), *, page_number: Any = 1) -> Page:
    """Every case the user may see, 25 a page. Three queries: the count, the page, the flags."""
    with _without_jit():
        page = Paginator(_cases(user, filters), CASE_LIST_PAGE_SIZE).get_page(page_number)
        page.object_list = list(page.object_list)
    return page


def team_caseloads(user: Any, filters: CaseFilters = CaseFilters()) -> list[WorkerLoad]:
    """For a supervisor: per worker holding open cases in the supervisor's units (every unit
    for a section lead in none), the open cases by risk, the cases without a contact in
    ``NO_CONTACT_DAYS`` days and the overdue tasks on those units' cases. Three queries
    whatever the number of workers: the case counts, the task counts, the workers."""
    if not access.is_supervisor(user):
        return []
    cases = Case.objects.exclude(status=Case.Status.CLOSED).filter(assigned_to__isnull=False)
    tasks = Task.objects.filter(done_at__isnull=True, due_on__lt=timezone.localdate())
    units = [filters.unit.pk] if filters.unit is not None else sorted(user.unit_ids)
    if units:
        cases = cases.filter(unit_id__in=units)
        tasks = tasks.filter(case__unit_id__in=units)
    since = timezone.now() - timedelta(days=NO_CONTACT_DAYS)
    counts = cases.values("assigned_to").annotate(
        high=Count("pk", filter=Q(risk=Case.Risk.HIGH)),
        moderate=Count("pk", filter=Q(risk=Case.Risk.MODERATE)),
        low=Count("pk", filter=Q(risk=Case.Risk.LOW)),
        # NOT IN a set, not NOT EXISTS per case: PostgreSQL hashes the few thousand people
        # contacted lately once instead of probing the contacts of each of 40,000 open cases
        # (1.2 s → see docs/performance.md, "Caseloads").
        no_contact=Count("pk", filter=~Q(person_id__in=_contacted_since(since))),
    )
    loads = {
        row["assigned_to"]: {k: v for k, v in row.items() if k != "assigned_to"} for row in counts
    }
    overdue = (
        tasks.filter(assignee_id__in=list(loads))
        .values("assignee")
        .annotate(n=Count("pk"))
        .values_list("assignee", "n")
    )
    overdue_by_worker = dict(overdue) if loads else {}
    workers = User.objects.filter(pk__in=list(loads)) if loads else []
    return [
        WorkerLoad(
            worker=worker, overdue_tasks=overdue_by_worker.get(worker.pk, 0), **loads[worker.pk]
        )
        for worker in workers
    ]


def my_open_tasks(user: Any, *, limit: int = MY_TASKS_LIMIT) -> list[Task]:
    """The user's open tasks for the home page: overdue first, then by due date. One query."""
    today = timezone.localdate()
    return list(
        access.visible_to(user, Task)
        .filter(assignee=user, done_at__isnull=True)
        .select_related("case__person", "case__household")
        .annotate(
            late=ExpressionWrapper(Q(due_on__lt=today), output_field=BooleanField()),
        )
        .order_by("-late", "due_on", "pk")[:limit]
    )


def case_tasks(user: Any, case: Case) -> list[Task]:
    """A case's tasks as the case page lists them: open ones by due date, then the done ones.
    One query."""
    return list(
        access.visible_to(user, Task)
        .filter(case=case)
        .select_related("assignee", "done_by")
        .order_by(F("done_at").asc(nulls_first=True), "due_on", "pk")
    )
