import uuid

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    Assessment = apps.get_model("cases", "Assessment")
    for assessment in Assessment.objects.filter(submission_key__isnull=True).iterator():
        assessment.submission_key = uuid.uuid4()
        assessment.save(update_fields=["submission_key"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_casework_reference_and_instruments")]

    operations = [
        migrations.AddField(
            model_name="assessment",
            name="submission_key",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalassessment",
            name="submission_key",
            field=models.UUIDField(db_index=True, editable=False, default=uuid.uuid4),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assessment",
            name="submission_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
