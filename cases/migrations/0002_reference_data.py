from django.db import migrations


def forwards(apps, schema_editor):
    from cases.reference import sync_reference_data

    sync_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
