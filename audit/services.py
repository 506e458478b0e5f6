import contextlib
import getpass
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.chain import CHAINED_FIELDS, GENESIS, row_digest
from audit.models import AccessLog, AuditReview, RewritePermit
from audit.triggers import ACCESS_LOG_TABLE, PERMIT_TABLE, history_tables
from cfsj.lib.http import client_ip

# pg_advisory_xact_lock key serialising writers of the access-log chain ("cfsj" in ASCII).
CHAIN_LOCK = 0x63_66_73_6A

# Whatever the setting says, nothing younger than this is ever purged (issue 5: "at least one
# year").
RETENTION_FLOOR_YEARS = 1


def _lock_chain(using: str = DEFAULT_DB_ALIAS) -> None:
    # Two writers reading the same last row would fork the chain. PostgreSQL: a transaction-scoped
    # advisory lock, held until commit, so the next writer reads this row as its predecessor.
    # SQLite has a single writer: a second transaction that read the old last row fails to write
    # ("database is locked") rather than forking.
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def log_access(
    *,
    request: HttpRequest | None,
    action: str,
    obj: models.Model | None = None,
    user: Any = None,
    username: str = "",
    detail: dict | None = None,
) -> AccessLog:
    """Write one access-log row, chained to the previous one. ``user`` defaults to the request's
    signed-in user."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    row = AccessLog(
        user=user if user is not None and user.is_authenticated else None,
        username=username or (user.get_username() if user is not None else ""),
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        ip_address=client_ip(request) if request is not None else None,
        detail=detail or {},
    )
    with transaction.atomic(savepoint=False):
        _lock_chain()
        row.prev_hash = (
            AccessLog.objects.order_by("-id").values_list("row_hash", flat=True).first() or GENESIS
        )
        # Timestamped under the lock, so time order and chain (id) order agree.
        row.at = timezone.now()
        row.row_hash = row_digest(row.prev_hash, **{f: getattr(row, f) for f in CHAINED_FIELDS})
        row.save()
    return row


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


@contextlib.contextmanager
def audit_rewrite(reason: str, *, by: str = "", using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Let UPDATE and DELETE through the append-only triggers for the enclosed statements.

    Only two callers are legitimate: field-key rotation (re-encrypting history rows) and the
    retention purge. The permit row is inserted and deleted inside one transaction, so no other
    connection ever sees it; an exception rolls it back with everything else. A permit found
    lying in the table was put there by hand, and ``verify_audit`` reports it.
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        # Before audit's permit table is migrated there are no triggers either (a migration that
        # rewrites rows may run first on a fresh database).
        if PERMIT_TABLE not in connection.introspection.table_names():
            yield
            return
        permit = RewritePermit.objects.using(using).create(
            reason=reason[:200], created_by=(by or _operator())[:150]
        )
        yield
        RewritePermit.objects.using(using).filter(pk=permit.pk).delete()


# --- retention ---------------------------------------------------------------------------------


def retention_years() -> int:
    return max(RETENTION_FLOOR_YEARS, int(settings.CFSJ_AUDIT_RETENTION_YEARS))


def retention_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - relativedelta(years=retention_years())


@dataclass
class PurgeResult:
    cutoff: datetime
    access_rows: int = 0
    history_rows: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    @property
    def total(self) -> int:
        return self.access_rows + sum(self.history_rows.values())


Progress = Callable[[str, int, int], None]


def _delete_in_batches(
    connection,
    table: str,
    key: str,
    where: str,
    params: list,
    total: int,
    batch_size: int,
    progress: Progress | None,
) -> None:
    qn = connection.ops.quote_name
    sql = (
        f"DELETE FROM {qn(table)} WHERE {qn(key)} IN "  # noqa: S608 (quoted identifiers)
        f"(SELECT {qn(key)} FROM {qn(table)} WHERE {where} ORDER BY {qn(key)} LIMIT %s)"
    )
    done = 0
    with connection.cursor() as cursor:
        while done < total:
            cursor.execute(sql, [*params, batch_size])
            if cursor.rowcount <= 0:
                break
            done += cursor.rowcount
            if progress is not None:
                progress(table, done, total)


def purge_expired(
    *,
    by: str,
    dry_run: bool = False,
    batch_size: int = 5000,
    progress: Progress | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> PurgeResult:
    """Delete access-log and history rows older than the retention (never younger than the floor),
    then record the purge as a new access-log row carrying the chain's new anchor.

    One transaction, holding the chain lock: ``verify_audit`` never sees a half-purged chain.
    """
    cutoff = retention_cutoff()
    result = PurgeResult(cutoff=cutoff, dry_run=dry_run)
    connection = connections[using]
    qn = connection.ops.quote_name
    db_cutoff = connection.ops.adapt_datetimefield_value(cutoff)
    with transaction.atomic(using=using):
        _lock_chain(using)
        log = AccessLog.objects.using(using)
        # The chain is ordered by id: delete a prefix of it, up to the first row inside the
        # retention, so that no gap opens in the middle (and nothing younger goes).
        first_kept = log.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True).first()
        doomed = log.all() if first_kept is None else log.filter(id__lt=first_kept)
        result.access_rows = doomed.count()
        tables = history_tables(django_apps)
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {qn(table)} WHERE history_date < %s",  # noqa: S608
                    [db_cutoff],
                )
                result.history_rows[table] = cursor.fetchone()[0]
        if dry_run or result.total == 0:
            return result
        last_hash = log.order_by("-id").values_list("row_hash", flat=True).first() or GENESIS
        with audit_rewrite(f"retention purge before {cutoff:%Y-%m-%d}", by=by, using=using):
            if result.access_rows:
                bound = first_kept or log.order_by("-id").values_list("id", flat=True)[0] + 1
                _delete_in_batches(
                    connection,
                    ACCESS_LOG_TABLE,
                    "id",
                    f"{qn('id')} < %s",
                    [bound],
                    result.access_rows,
                    batch_size,
                    progress,
                )
            for table in tables:
                if result.history_rows[table]:
                    _delete_in_batches(
                        connection,
                        table,
                        "history_id",
                        "history_date < %s",
                        [db_cutoff],
                        result.history_rows[table],
                        batch_size,
                        progress,
                    )
        # The oldest kept row's prev_hash points at a deleted row: the purge row records it as
        # the anchor verify_audit accepts at the start of the chain.
        anchor = log.order_by("id").values_list("prev_hash", flat=True).first() or last_hash
        log_access(
            request=None,
            action=AccessLog.Action.PURGE,
            username=by,
            detail={
                "cutoff": cutoff.isoformat(),
                "access_rows": result.access_rows,
                "history_rows": sum(result.history_rows.values()),
                "anchor": anchor,
            },
        )
    return result


# --- weekly review -----------------------------------------------------------------------------


class AuditError(Exception):
    """A refused audit action; the message is for the user."""


def review_acknowledge(
    *, week_start: date, reviewer: Any, comment: str = "", request: HttpRequest | None = None
) -> AuditReview:
    """Record that ``reviewer`` reviewed the week starting ``week_start`` (a Monday), itself
    logged ``reviewed``. Refused for a week that has not ended and for one already acknowledged
    (the first acknowledgement stands; a later finding goes into the next week's comment)."""
    if week_start.weekday() != 0:
        raise AuditError(_("A review week starts on a Monday."))
    if week_start + timedelta(days=7) > timezone.localdate():
        raise AuditError(_("This week has not ended yet; review it once it is over."))
    existing = AuditReview.objects.filter(week_start=week_start).select_related("reviewer")
    if (review := existing.first()) is not None:
        raise AuditError(
            _("This week was already acknowledged by %(name)s on %(when)s.")
            % {
                "name": review.reviewer.display_name,
                "when": timezone.localtime(review.acknowledged_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    review = AuditReview(week_start=week_start, reviewer=reviewer, comment=comment.strip())
    review._history_user = reviewer
    try:
        with transaction.atomic():
            review.save()
            log_access(
                request=request,
                action=AccessLog.Action.REVIEWED,
                obj=review,
                user=reviewer,
                detail={"week": week_start.isoformat()},
            )
    except IntegrityError:
        # Two reviewers pressed the button at once: the unique week let one through.
        raise AuditError(_("This week was acknowledged a moment ago by someone else.")) from None
    return review
