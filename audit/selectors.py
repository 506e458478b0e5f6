from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models

from audit.models import AccessLog


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
