"""The administrator role edits the people/contact reference lists (flags, contact types,
dispositions): re-run the idempotent role sync now that those models exist."""

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts.reference import sync_roles_and_reference_data

    sync_roles_and_reference_data(apps, in_migration=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles_and_reference_data"), ("cases", "0002_reference_data")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
