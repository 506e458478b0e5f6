"""Rewriting encrypted columns in place: the data migration that encrypts legacy plaintext, and
``manage.py rotate_field_keys``.

Rows are read and written with plain SQL, by primary key in batches, so that the stored tokens
are seen as they are (the field would decrypt them) and so that no history row is added: the
plaintext does not change, only how it is stored. History tables are rewritten too, under
``audit.services.audit_rewrite`` where that permit exists (history is otherwise append-only).
"""

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps as global_apps
from django.db import connections, models, transaction

from cfsj.lib import crypto
from cfsj.lib.fields import MARKER, EncryptedTextField, decrypt_stored, encrypt_stored, is_encrypted

# Returns the new column value, or None to leave the stored value as it is.
Converter = Callable[[str], str | None]
Progress = Callable[[type[models.Model], int, int, int], None]


def encrypt_if_plain(stored: str) -> str | None:
    return None if is_encrypted(stored) else encrypt_stored(stored)


def decrypt_to_plain(stored: str) -> str | None:
    return decrypt_stored(stored) if is_encrypted(stored) else None


def rotate_to_newest(stored: str) -> str | None:
    """Under the newest key; a value that is already is left alone, so a rerun writes nothing.
    A plain value (a row the migration has not reached) is encrypted."""
    if not is_encrypted(stored):
        return encrypt_stored(stored)
    token = stored[len(MARKER) :]
    if crypto.is_current(token):
        return None
    return MARKER + crypto.rotate(token)


def encrypted_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def encrypted_models(app_registry: Any = global_apps) -> list[type[models.Model]]:
    """Every model with an encrypted column, historical models included."""
    return [m for m in app_registry.get_models() if encrypted_fields(m)]


@contextlib.contextmanager
def history_rewrite_permit(reason: str, *, using: str) -> Iterator[None]:
    # The append-only triggers on history tables admit an UPDATE only inside this permit (on a
    # database migrated before the permit table exists there are no triggers, and it is a no-op).
    from audit.services import audit_rewrite

    with audit_rewrite(reason, using=using):
        yield


def rewrite_columns(
    model: type[models.Model],
    convert: Converter,
    *,
    reason: str,
    using: str = "default",
    batch_size: int = 500,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> int:
    """Pass every non-empty value of the model's encrypted columns through ``convert`` and write
    back the rows it changes. Returns how many rows changed (or would, with ``dry_run``)."""
    fields = encrypted_fields(model)
    if not fields:
        return 0
    connection = connections[using]
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    pk = qn(model._meta.pk.column)
    columns = [qn(f.column) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 (quoted identifiers)
        total = cursor.fetchone()[0]
    select = (
        f"SELECT {pk}, {', '.join(columns)} FROM {table} "  # noqa: S608 (quoted identifiers)
        f"WHERE {pk} > %s ORDER BY {pk} LIMIT %s"
    )
    update = (
        f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in columns)} "  # noqa: S608
        f"WHERE {pk} = %s"
    )
    changed = read = 0
    last = 0  # every table here has an auto-increment key (history tables: history_id)
    while True:
        with transaction.atomic(using=using), connection.cursor() as cursor:
            cursor.execute(select, [last, batch_size])
            rows = cursor.fetchall()
            if not rows:
                break
            updates = []
            for row_pk, *values in rows:
                new = [None if v in (None, "") else convert(v) for v in values]
                if any(n is not None for n in new):
                    merged = [n if n is not None else v for n, v in zip(new, values, strict=True)]
                    updates.append([*merged, row_pk])
            if updates and not dry_run:
                with history_rewrite_permit(reason, using=using):
                    cursor.executemany(update, updates)
            changed += len(updates)
            read += len(rows)
            last = rows[-1][0]
        if progress is not None:
            progress(model, read, total, changed)
    return changed
