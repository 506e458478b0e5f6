"""The administrator role edits case types and closure outcomes and reads instrument
definitions: re-run the idempotent role sync now that those models exist."""

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts.reference import sync_roles_and_reference_data

    sync_roles_and_reference_data(apps, in_migration=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_reference_permissions"), ("cases", "0004_casework")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
