"""Break-the-glass grants (issue 5), and the last plaintext text columns encrypted: a person's
safety notes and the reason of a case status change (history rows too, as 0007 did)."""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import cfsj.lib.fields
from audit.triggers import protect_history_of
from cases.encryption import decrypt_to_plain, encrypt_if_plain, encrypted_models, rewrite_columns

# The models whose encrypted columns are new here (the others were encrypted by 0007).
NEWLY_ENCRYPTED = {"person", "historicalperson", "casestatuschange"}


def _rewrite(apps, schema_editor, convert, reason):
    for model in encrypted_models(apps):
        if model._meta.app_label == "cases" and model._meta.model_name in NEWLY_ENCRYPTED:
            rewrite_columns(model, convert, reason=reason, using=schema_editor.connection.alias)


def encrypt_existing_rows(apps, schema_editor):
    """Encrypts safety notes and status-change reasons written before this migration, history
    rows included (under audit's rewrite permit); rows already encrypted are left alone."""
    _rewrite(apps, schema_editor, encrypt_if_plain, "encrypt safety notes and status reasons")


def decrypt_existing_rows(apps, schema_editor):
    _rewrite(apps, schema_editor, decrypt_to_plain, "undo encryption at rest (migration reversed)")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_encrypt_text_fields"),
        # The append-only triggers and the rewrite permit the data migration goes through.
        ("audit", "0003_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="casestatuschange",
            name="reason",
            field=cfsj.lib.fields.EncryptedTextField(max_length=2000, verbose_name="reason"),
        ),
        migrations.AlterField(
            model_name="historicalperson",
            name="safety_notes",
            field=cfsj.lib.fields.EncryptedTextField(
                blank=True, max_length=2000, verbose_name="safety notes for responding officers"
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="safety_notes",
            field=cfsj.lib.fields.EncryptedTextField(
                blank=True, max_length=2000, verbose_name="safety notes for responding officers"
            ),
        ),
        migrations.CreateModel(
            name="HistoricalBreakGlassAccess",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "reason",
                    cfsj.lib.fields.EncryptedTextField(max_length=2000, verbose_name="reason"),
                ),
                (
                    "opened_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                ("notified_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="cases.case",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical break-the-glass access",
                "verbose_name_plural": "historical break-the-glass accesses",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="BreakGlassAccess",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reason",
                    cfsj.lib.fields.EncryptedTextField(max_length=2000, verbose_name="reason"),
                ),
                (
                    "opened_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("expires_at", models.DateTimeField(verbose_name="expires")),
                ("notified_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="break_glass_grants",
                        to="cases.case",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="break_glass_grants",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "break-the-glass access",
                "verbose_name_plural": "break-the-glass accesses",
                "ordering": ["-opened_at", "-pk"],
                "indexes": [
                    models.Index(fields=["user", "case", "expires_at"], name="break_glass_grant")
                ],
            },
        ),
        migrations.RunPython(encrypt_existing_rows, decrypt_existing_rows),
        # The new history table is append-only like the others (and SQLite rebuilt the altered
        # ones without their triggers).
        protect_history_of("cases"),
    ]
