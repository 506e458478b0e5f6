"""Append-only triggers on the access log and on every simple-history table that exists at this
point (see audit.triggers; later apps call ``protect_history_of`` in their own migrations)."""

from django.db import migrations

from audit.triggers import ACCESS_LOG_TABLE, history_tables, protect, unprotect


def forwards(apps, schema_editor):
    protect(schema_editor.connection, [ACCESS_LOG_TABLE, *history_tables(apps)])


def backwards(apps, schema_editor):
    unprotect(schema_editor.connection, [ACCESS_LOG_TABLE, *history_tables(apps)])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_hash_chain_and_rewrite_permit"),
        ("accounts", "0004_casework_permissions"),
        ("cases", "0007_encrypt_text_fields"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
