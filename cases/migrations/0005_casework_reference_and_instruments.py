from django.db import migrations


def forwards(apps, schema_editor):
    from cases.instruments import load_bundled
    from cases.reference import sync_casework_reference_data

    sync_casework_reference_data(apps)
    load_bundled(apps)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_casework")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
