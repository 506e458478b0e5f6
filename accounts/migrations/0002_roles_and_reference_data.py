"""Role groups with their permissions, and the Cambridge defaults for units and partner
organisations (reference data an administrator edits afterwards)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from accounts.reference import sync_roles_and_reference_data

    sync_roles_and_reference_data(apps, in_migration=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("axes", "0010_accessattemptexpiration"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
