from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q, Value
from django.db.models.functions import Cast, Concat, TruncDate
from django.utils import timezone

from audit.chain import CHAINED_FIELDS, GENESIS, row_digest
from audit.models import AccessLog, AuditReview, RewritePermit


@dataclass
class HistoryEntry:
    when: object
    who: str
    kind: str
    changes: list[tuple[str, object, object]] = field(default_factory=list)


@dataclass
class RecordTrail:
    history: list[HistoryEntry]
    accesses: list[AccessLog]


_KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def record_trail(obj: models.Model, *, limit: int = 50) -> RecordTrail:
    """The change history and the access log of one record, newest first, for supervisors.

    Three queries whatever the record: its history rows (with their users), and its access rows
    (with theirs). Field diffs are computed in Python between consecutive history rows.
    """
    rows = list(obj.history.select_related("history_user").order_by("-history_date")[: limit + 1])
    entries = []
    for newer, older in zip(rows, [*rows[1:], None], strict=True):
        if len(entries) == limit:
            break
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            changes = [(c.field, c.old, c.new) for c in delta.changes]
        entries.append(
            HistoryEntry(
                when=newer.history_date,
                who=newer.history_user.display_name if newer.history_user else "system",
                kind=_KINDS.get(newer.history_type, newer.history_type),
                changes=changes,
            )
        )
    accesses = list(
        AccessLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        ).select_related("user")[:limit]
    )
    return RecordTrail(history=entries, accesses=accesses)


# --- the access log's hash chain ---------------------------------------------------------------


@dataclass
class ChainReport:
    rows: int = 0
    head: str = GENESIS
    broken_at: int | None = None
    problem: str = ""
    leftover_permits: list[RewritePermit] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.broken_at is None and not self.leftover_permits


def verify_chain() -> ChainReport:
    """Walk the access log in id order and stop at the first broken link.

    The first row must start from the genesis hash or from the anchor recorded by the latest
    retention purge (which deleted the rows before it). Each following row must point at its
    predecessor's hash, and every row's hash must match its contents. Deleting the newest rows
    leaves a valid shorter chain: compare ``head`` with a value recorded elsewhere to catch that.
    """
    report = ChainReport(leftover_permits=list(RewritePermit.objects.order_by("id")))
    purge = (
        AccessLog.objects.filter(action=AccessLog.Action.PURGE)
        .order_by("-id")
        .values_list("detail", flat=True)
        .first()
    )
    anchors = {GENESIS} | ({purge.get("anchor")} if isinstance(purge, dict) else set())
    previous = None
    rows = AccessLog.objects.order_by("id").values("id", "prev_hash", "row_hash", *CHAINED_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        if previous is None and row["prev_hash"] not in anchors:
            report.broken_at = row["id"]
            report.problem = (
                f"the oldest row's prev_hash {row['prev_hash'][:12]}… is neither the genesis "
                "nor the anchor of the latest retention purge: older rows were deleted"
            )
            break
        if previous is not None and row["prev_hash"] != previous["row_hash"]:
            report.broken_at = row["id"]
            report.problem = (
                f"prev_hash does not match the row_hash of row {previous['id']}: a row between "
                f"them was deleted, or row {previous['id']} was changed and re-hashed"
            )
            break
        computed = row_digest(row["prev_hash"], **{f: row[f] for f in CHAINED_FIELDS})
        if computed != row["row_hash"]:
            report.broken_at = row["id"]
            report.problem = (
                f"its contents no longer match its row_hash (stored {row['row_hash'][:12]}…, "
                f"computed {computed[:12]}…): the row was changed after it was written"
            )
            break
        report.rows += 1
        report.head = row["row_hash"]
        previous = row
    return report


# --- audit review (issue 5) --------------------------------------------------------------------

# Actions that open one record: what "records viewed" counts for unusual volume.
RECORD_READS = (AccessLog.Action.VIEW, AccessLog.Action.BREAK_GLASS, AccessLog.Action.PRINT)
PAGE_SIZE = 50
# How many rows of each kind the weekly summary lists (its counts cover every row).
WEEK_LIST_LIMIT = 100


def _as_key(queryset: models.QuerySet) -> models.QuerySet:
    # AccessLog.object_id is text (it holds any model's key); compare like with like, so that
    # PostgreSQL can use the (content_type, object_id) index.
    return queryset.annotate(key=Cast("pk", models.CharField())).values("key")


def person_accesses(person: models.Model) -> models.QuerySet:
    """Access-log rows on a person (and on the duplicate records merged into them), on the
    contacts they were part of, on their cases and on the notes and assessments of those cases,
    newest first. One query (with subqueries) a page, plus one per level of merges."""
    from cases.models import Assessment, Case, Contact, Note, Person

    def on(model: type[models.Model], records: models.QuerySet) -> Q:
        return Q(content_type=ContentType.objects.get_for_model(model), object_id__in=records)

    # A merge repoints contacts and cases to the survivor, but reads of the merged-away record
    # stay logged under its own id.
    people = {str(person.pk)}
    frontier = [person.pk]
    while frontier:
        frontier = list(
            Person.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)
        )
        people.update(str(pk) for pk in frontier)
    cases = Case.objects.filter(person=person)
    return (
        AccessLog.objects.filter(
            Q(content_type=ContentType.objects.get_for_model(person), object_id__in=people)
            | on(Contact, _as_key(Contact.objects.filter(participants__person=person)))
            | on(Case, _as_key(cases))
            | on(Note, _as_key(Note.objects.filter(case__in=cases)))
            | on(Assessment, _as_key(Assessment.objects.filter(person=person)))
        )
        .select_related("user", "content_type")
        .order_by("-at", "-id")
    )


def local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def user_rows(user: Any, *, start: date, end: date) -> models.QuerySet:
    """What ``user`` did from ``start`` to ``end`` (local days, both included), newest first,
    with the failed sign-ins and lockouts against their username (those rows have no user)."""
    return (
        AccessLog.objects.filter(
            Q(user=user) | Q(user__isnull=True, username=user.get_username()),
            at__gte=local_day_start(start),
            at__lt=local_day_start(end + timedelta(days=1)),
        )
        .select_related("user", "content_type")
        .order_by("-at", "-id")
    )


@dataclass
class Activity:
    by_action: list[tuple[str, int]]
    by_day: list[tuple[date, int]]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.by_action)


def _action_counts(rows: models.QuerySet) -> list[tuple[str, int]]:
    labels = dict(AccessLog.Action.choices)
    counts = rows.order_by().values("action").annotate(n=Count("id")).order_by("-n", "action")
    return [(str(labels.get(row["action"], row["action"])), row["n"]) for row in counts]


def user_activity(user: Any, *, start: date, end: date) -> Activity:
    """Counts by action and by local day for :func:`user_rows`. Two aggregate queries."""
    rows = user_rows(user, start=start, end=end)
    by_day = rows.order_by().annotate(day=TruncDate("at")).values("day").annotate(n=Count("id"))
    return Activity(
        by_action=_action_counts(rows),
        by_day=[(row["day"], row["n"]) for row in by_day.order_by("day")],
    )


# --- unusual volume ----------------------------------------------------------------------------


@dataclass
class Unusual:
    user: Any
    records: int
    median: float
    day: date | None = None


def _reads() -> models.QuerySet:
    return AccessLog.objects.filter(
        action__in=RECORD_READS, user__isnull=False, content_type__isnull=False
    ).order_by()


# Distinct records, not rows: opening one file ten times is not unusual volume.
_DISTINCT_RECORDS = Count(
    Concat(
        Cast("content_type_id", models.CharField()),
        Value(":"),
        "object_id",
        output_field=models.CharField(),
    ),
    distinct=True,
)


def _baselines(before: datetime) -> dict[int, float]:
    """Per user, the median of their daily distinct records read over the
    ``CFSJ_UNUSUAL_BASELINE_DAYS`` days before ``before`` (a day without reads counts as 0).
    One aggregate query: at most users × days rows reach Python."""
    days = settings.CFSJ_UNUSUAL_BASELINE_DAYS
    daily = (
        _reads()
        .filter(at__gte=before - timedelta(days=days), at__lt=before)
        .annotate(day=TruncDate("at"))
        .values("user", "day")
        .annotate(n=_DISTINCT_RECORDS)
    )
    per_user: dict[int, list[int]] = defaultdict(list)
    for row in daily:
        per_user[row["user"]].append(row["n"])
    return {
        user: float(median(counts + [0] * (days - len(counts))))
        for user, counts in per_user.items()
    }


def _is_unusual(records: int, baseline: float) -> bool:
    return (
        records >= settings.CFSJ_UNUSUAL_FLOOR and records > settings.CFSJ_UNUSUAL_FACTOR * baseline
    )


def _with_users(found: list[Unusual]) -> list[Unusual]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk({u.user for u in found})
    for item in found:
        item.user = users[item.user]
    return found


def unusual_volume(*, now: datetime | None = None) -> list[Unusual]:
    """Users who read many more distinct records in the last ``CFSJ_UNUSUAL_WINDOW_HOURS`` than
    on a usual day: above ``CFSJ_UNUSUAL_FACTOR`` × their baseline median and at least
    ``CFSJ_UNUSUAL_FLOOR``. Three queries: the window's counts, the baselines, the users."""
    now = now or timezone.now()
    since = now - timedelta(hours=settings.CFSJ_UNUSUAL_WINDOW_HOURS)
    window = (
        _reads()
        .filter(at__gte=since, at__lt=now)
        .values("user")
        .annotate(n=_DISTINCT_RECORDS)
        .filter(n__gte=settings.CFSJ_UNUSUAL_FLOOR)
    )
    counts = {row["user"]: row["n"] for row in window}
    if not counts:
        return []
    baselines = _baselines(since)
    found = [
        Unusual(user=user, records=n, median=baselines.get(user, 0.0))
        for user, n in counts.items()
        if _is_unusual(n, baselines.get(user, 0.0))
    ]
    return sorted(_with_users(found), key=lambda u: -u.records)


def unusual_days(*, start: date, end: date) -> list[Unusual]:
    """The (user, local day) pairs from ``start`` to ``end`` (included) whose distinct records
    read were unusual against the user's baseline before ``start`` (the weekly review). Three
    queries."""
    daily = (
        _reads()
        .filter(at__gte=local_day_start(start), at__lt=local_day_start(end + timedelta(days=1)))
        .annotate(day=TruncDate("at"))
        .values("user", "day")
        .annotate(n=_DISTINCT_RECORDS)
        .filter(n__gte=settings.CFSJ_UNUSUAL_FLOOR)
    )
    rows = list(daily)
    if not rows:
        return []
    baselines = _baselines(local_day_start(start))
    found = [
        Unusual(
            user=row["user"],
            records=row["n"],
            median=baselines.get(row["user"], 0.0),
            day=row["day"],
        )
        for row in rows
        if _is_unusual(row["n"], baselines.get(row["user"], 0.0))
    ]
    return sorted(_with_users(found), key=lambda u: (u.day, -u.records))


# --- weekly review -----------------------------------------------------------------------------


def week_of(day: date) -> date:
    """The Monday starting ``day``'s week."""
    return day - timedelta(days=day.weekday())


def last_week(today: date | None = None) -> date:
    return week_of(today or timezone.localdate()) - timedelta(days=7)


def review_due(today: date | None = None) -> date | None:
    """Last week's start when nobody has acknowledged its review yet. One query."""
    week = last_week(today)
    return None if AuditReview.objects.filter(week_start=week).exists() else week


@dataclass
class WeekState:
    week_start: date
    review: AuditReview | None

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)


def recent_weeks(*, count: int = 12, today: date | None = None) -> list[WeekState]:
    """The last ``count`` ended weeks, newest first, each with its review if any. One query."""
    newest = last_week(today)
    weeks = [newest - timedelta(days=7 * i) for i in range(count)]
    reviews = {
        r.week_start: r
        for r in AuditReview.objects.filter(week_start__in=weeks).select_related("reviewer")
    }
    return [WeekState(week_start=w, review=reviews.get(w)) for w in weeks]


@dataclass
class WeekSummary:
    week_start: date
    ended: bool
    review: AuditReview | None
    by_action: list[tuple[str, int]]
    denied: list[AccessLog]
    sign_in_problems: list[AccessLog]
    break_glass: list[AccessLog]
    unusual: list[Unusual]

    @property
    def week_end(self) -> date:
        return self.week_start + timedelta(days=6)

    @property
    def total(self) -> int:
        return sum(n for _, n in self.by_action)


def week_summary(week_start: date, *, today: date | None = None) -> WeekSummary:
    """What the weekly review looks at: every action counted, the denied attempts, failed
    sign-ins and lockouts, break-the-glass openings with their reasons, and unusual volume."""
    today = today or timezone.localdate()
    end = week_start + timedelta(days=6)
    rows = AccessLog.objects.filter(
        at__gte=local_day_start(week_start), at__lt=local_day_start(end + timedelta(days=1))
    )
    listed = rows.select_related("user", "content_type").order_by("-at", "-id")
    sign_in_problems = (AccessLog.Action.LOCKOUT, AccessLog.Action.SIGN_IN_FAILED)
    return WeekSummary(
        week_start=week_start,
        ended=end < today,
        review=AuditReview.objects.filter(week_start=week_start).select_related("reviewer").first(),
        by_action=_action_counts(rows),
        denied=list(listed.filter(action=AccessLog.Action.DENIED)[:WEEK_LIST_LIMIT]),
        sign_in_problems=list(listed.filter(action__in=sign_in_problems)[:WEEK_LIST_LIMIT]),
        break_glass=list(listed.filter(action=AccessLog.Action.BREAK_GLASS)[:WEEK_LIST_LIMIT]),
        unusual=unusual_days(start=week_start, end=end),
    )
