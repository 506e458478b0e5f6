"""The access log's hash chain: each row's ``row_hash`` covers the previous row's hash and the
row's own fields, so a changed, inserted or deleted row breaks every link after it.

The canonical form below is part of the stored data: changing it invalidates every existing
chain. Migrations import it, so it must stay a pure function of plain values.
"""

import hashlib
import ipaddress
import json
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64

# The fields a row's hash covers, in the names of AccessLog's columns.
CHAINED_FIELDS = (
    "at",
    "user_id",
    "username",
    "action",
    "content_type_id",
    "object_id",
    "ip_address",
    "detail",
)


def canonical(
    *,
    at: datetime,
    user_id: int | None,
    username: str,
    action: str,
    content_type_id: int | None,
    object_id: str,
    ip_address: str | None,
    detail: Any,
) -> str:
    # Databases hand values back in their own spelling (timestamps in UTC, IPv6 lower-cased,
    # JSON keys reordered): normalise so a row read back hashes as it did when written.
    return json.dumps(
        {
            "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
            "user": user_id,
            "username": username,
            "action": action,
            "content_type": content_type_id,
            "object_id": object_id,
            "ip": str(ipaddress.ip_address(ip_address)) if ip_address else None,
            "detail": detail,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )


def row_digest(prev_hash: str, **fields: Any) -> str:
    """sha256 (hex) of the previous row's hash followed by this row's canonical JSON."""
    return hashlib.sha256((prev_hash + canonical(**fields)).encode()).hexdigest()
