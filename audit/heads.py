"""Publishing the access log's chain head outside the database.

The hash chain shows a changed or removed row *inside* the log, but someone able to delete the
newest rows leaves a valid, shorter chain. So the head (last row's id and hash) is published
every few minutes to a place the database's owner does not control: an append-only file
(``CFSJ_AUDIT_HEAD_FILE``, meant for a separate volume or a host that ships it off) and the
``cfsj.audit.head`` logger (which production forwards to its log collector). ``verify_audit``
then checks that every published head is still in the chain: a truncated tail is detected up
to the last publication.
"""

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from audit.models import AccessLog

logger = logging.getLogger("cfsj.audit.head")


@dataclass(frozen=True)
class Head:
    id: int
    hash: str
    at: str


def head_file() -> Path | None:
    path = settings.CFSJ_AUDIT_HEAD_FILE
    return Path(path) if path else None


def publish_head(path: Path | None = None) -> Head | None:
    """Append the current head to the head file and log it; ``None`` while the log is empty."""
    row = AccessLog.objects.order_by("-id").values("id", "row_hash", "at").first()
    if row is None:
        return None
    head = Head(id=row["id"], hash=row["row_hash"], at=row["at"].isoformat())
    line = json.dumps({**head.__dict__, "published_at": timezone.now().isoformat()})
    logger.info("access-log head %s", line)
    path = path or head_file()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as stream:
            stream.write(line + "\n")
            stream.flush()
            os.fsync(stream.fileno())
    return head


def read_heads(path: Path) -> list[Head]:
    heads = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not text.strip():
            continue
        try:
            data = json.loads(text)
            heads.append(Head(id=int(data["id"]), hash=str(data["hash"]), at=str(data["at"])))
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}, line {number}: not a published head ({error})") from None
    return heads


def check_heads(heads: list[Head]) -> list[str]:
    """Problems found comparing published heads with the chain (empty when all agree).

    A head older than the oldest row left is skipped: the retention purge removed it (the purge
    itself is re-anchored and checked by ``verify_chain``).
    """
    if not heads:
        return []
    oldest = AccessLog.objects.order_by("id").values_list("id", flat=True).first()
    wanted = {head.id for head in heads if oldest is not None and head.id >= oldest}
    stored = dict(AccessLog.objects.filter(id__in=wanted).values_list("id", "row_hash"))
    problems = []
    for head in heads:
        if oldest is not None and head.id < oldest:
            continue
        if head.id not in stored:
            problems.append(
                f"row {head.id}, published as the head at {head.at}, is missing: the newest "
                "rows of the access log were deleted"
            )
        elif stored[head.id] != head.hash:
            problems.append(
                f"row {head.id} no longer has the hash published at {head.at}: the chain was "
                "rewritten from that row on"
            )
    return problems
