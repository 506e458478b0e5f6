from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models

from audit.chain import CHAINED_FIELDS, GENESIS, row_digest
from audit.models import AccessLog, RewritePermit


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
