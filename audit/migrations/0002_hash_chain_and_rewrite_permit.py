import django.utils.timezone
from django.db import migrations, models

from audit.chain import CHAINED_FIELDS, GENESIS, row_digest


def chain_existing_rows(apps, schema_editor):
    AccessLog = apps.get_model("audit", "AccessLog")
    rows = AccessLog.objects.using(schema_editor.connection.alias).order_by("id")
    prev, batch = GENESIS, []
    for row in rows.iterator(chunk_size=2000):
        row.prev_hash = prev
        row.row_hash = prev = row_digest(prev, **{f: getattr(row, f) for f in CHAINED_FIELDS})
        batch.append(row)
        if len(batch) == 2000:
            AccessLog.objects.bulk_update(batch, ["prev_hash", "row_hash"])
            batch = []
    AccessLog.objects.bulk_update(batch, ["prev_hash", "row_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesslog",
            name="prev_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="accesslog",
            name="row_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Viewed"),
                    ("list", "Listed"),
                    ("search", "Searched"),
                    ("export", "Exported"),
                    ("print", "Printed"),
                    ("disclose", "Disclosed"),
                    ("denied", "Denied"),
                    ("sign_in", "Signed in"),
                    ("sign_in_failed", "Failed sign-in"),
                    ("lockout", "Locked out"),
                    ("sign_out", "Signed out"),
                    ("purge", "Purged by retention"),
                ],
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="RewritePermit",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("reason", models.CharField(max_length=200)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("created_by", models.CharField(blank=True, max_length=150)),
            ],
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
    ]
