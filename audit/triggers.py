"""Database triggers that make the audit tables append-only, below the application.

Every simple-history table (``<app>_historical<model>``) and ``audit_accesslog`` refuse UPDATE and
DELETE (and TRUNCATE on PostgreSQL) unless a row exists in ``audit_rewritepermit``. Only
:func:`audit.services.audit_rewrite` writes that row, inside the transaction that needs it, and
only key rotation and the retention purge call it.

An app whose models gain history tables protects them in its own migration::

    from audit.triggers import protect_history_of

    operations = [..., protect_history_of("referrals")]

``post_migrate`` also re-protects every such table, because SQLite rebuilds a table (and drops its
triggers) whenever a migration alters one of its columns. ``tests/audit`` fails when any history
table is left without its triggers.
"""

from collections.abc import Iterable

from django.db import migrations
from django.db.backends.base.base import BaseDatabaseWrapper

PERMIT_TABLE = "audit_rewritepermit"
ACCESS_LOG_TABLE = "audit_accesslog"

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM audit_rewritepermit) THEN
        RAISE EXCEPTION USING
            MESSAGE = TG_OP || ' on ' || TG_TABLE_NAME || ' refused: the table is append-only',
            ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""


def is_history_table(table: str) -> bool:
    return "_historical" in table


def _sqlite_trigger_names(table: str) -> dict[str, str]:
    # SQLite trigger names are global to the database, so they carry the table's name.
    return {"UPDATE": f"{table}__append_only_update", "DELETE": f"{table}__append_only_delete"}


def _statements(vendor: str, table: str) -> list[str]:
    quoted = f'"{table}"'
    if vendor == "postgresql":
        return [
            f"CREATE OR REPLACE TRIGGER append_only BEFORE UPDATE OR DELETE ON {quoted} "
            "FOR EACH ROW EXECUTE FUNCTION audit_refuse_rewrite()",
            f"CREATE OR REPLACE TRIGGER append_only_truncate BEFORE TRUNCATE ON {quoted} "
            "FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_rewrite()",
        ]
    if vendor == "sqlite":
        return [
            f'CREATE TRIGGER IF NOT EXISTS "{name}" BEFORE {event} ON {quoted} '  # noqa: S608
            f"WHEN NOT EXISTS (SELECT 1 FROM {PERMIT_TABLE}) BEGIN "
            f"SELECT RAISE(ABORT, '{event} on {table} refused: the table is append-only'); END"
            for event, name in _sqlite_trigger_names(table).items()
        ]
    raise NotImplementedError(f"No append-only triggers for {vendor}.")


def protect(connection: BaseDatabaseWrapper, tables: Iterable[str]) -> None:
    """Install (or re-install) the append-only triggers on ``tables``. Idempotent."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        for table in tables:
            for statement in _statements(connection.vendor, table):
                cursor.execute(statement)


def unprotect(connection: BaseDatabaseWrapper, tables: Iterable[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f'DROP TRIGGER IF EXISTS append_only ON "{table}"')
                cursor.execute(f'DROP TRIGGER IF EXISTS append_only_truncate ON "{table}"')
            else:
                for name in _sqlite_trigger_names(table).values():
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def history_tables(apps, app_labels: Iterable[str] | None = None) -> list[str]:
    """The simple-history tables of ``app_labels`` (all apps when None) in a model registry."""
    labels = set(app_labels) if app_labels is not None else None
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if is_history_table(model._meta.db_table)
        and (labels is None or model._meta.app_label in labels)
    )


def protect_history_of(*app_labels: str) -> migrations.RunPython:
    """A migration operation protecting the history tables of ``app_labels`` as they stand."""

    def forwards(apps, schema_editor) -> None:
        protect(schema_editor.connection, history_tables(apps, app_labels))

    def backwards(apps, schema_editor) -> None:
        unprotect(schema_editor.connection, history_tables(apps, app_labels))

    return migrations.RunPython(forwards, backwards, elidable=False)


def protected_tables_present(connection: BaseDatabaseWrapper) -> list[str]:
    """The tables in the database that must be append-only."""
    tables = connection.introspection.table_names()
    return sorted(t for t in tables if t == ACCESS_LOG_TABLE or is_history_table(t))


def unprotected(connection: BaseDatabaseWrapper) -> list[str]:
    """Tables that must be append-only but lack one of their triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE NOT t.tgisinternal AND pg_table_is_visible(c.oid)"
            )
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        present = set(cursor.fetchall())
    missing = []
    for table in protected_tables_present(connection):
        if connection.vendor == "postgresql":
            wanted = {"append_only", "append_only_truncate"}
        else:
            wanted = set(_sqlite_trigger_names(table).values())
        if not {(table, name) for name in wanted} <= present:
            missing.append(table)
    return missing


def protect_all(sender=None, using: str = "default", **kwargs) -> None:
    """post_migrate receiver: re-protect every audit table (see the module docstring)."""
    from django.db import connections

    connection = connections[using]
    if PERMIT_TABLE not in connection.introspection.table_names():
        return  # audit is migrated backwards past its permit table
    protect(connection, protected_tables_present(connection))
