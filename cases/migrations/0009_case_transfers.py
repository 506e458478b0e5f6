"""Case transfers get a row of their own with the reason encrypted (issue 5): until now the reason
sat in plain text in the case history's change reason."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import cfsj.lib.fields
from audit.services import audit_rewrite

PREFIX = "transfer: "


def move_transfer_reasons(apps, schema_editor):
    """Transfers made before this migration kept their reason (its first 100 characters) in
    plain text as the case history's change reason. Each becomes a CaseTransfer row (reason
    encrypted), and the history row keeps only the word "transfer" (under audit's rewrite
    permit: history rows are append-only)."""
    alias = schema_editor.connection.alias
    history = apps.get_model("cases", "HistoricalCase").objects.using(alias)
    transfers = apps.get_model("cases", "CaseTransfer").objects.using(alias)
    rows = list(history.filter(history_change_reason__startswith=PREFIX).order_by("history_date"))
    if not rows:
        return
    for row in rows:
        before = (
            history.filter(id=row.id, history_date__lt=row.history_date)
            .order_by("-history_date")
            .values_list("assigned_to_id", flat=True)
            .first()
        )
        transfers.create(
            case_id=row.id,
            from_user_id=before,
            to_user_id=row.assigned_to_id,
            reason=row.history_change_reason[len(PREFIX) :],
            actor_id=row.history_user_id,
            at=row.history_date,
        )
    table = history.model._meta.db_table
    with (
        audit_rewrite("move case transfer reasons out of the history", using=alias),
        schema_editor.connection.cursor() as cursor,
    ):
        cursor.execute(
            f"UPDATE {schema_editor.connection.ops.quote_name(table)} SET history_change_reason = %s "  # noqa: S608
            "WHERE history_change_reason LIKE %s",
            ["transfer", PREFIX + "%"],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0008_break_glass_and_encrypt_safety_notes"),
        # The rewrite permit the data migration goes through.
        ("audit", "0003_append_only_triggers"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseTransfer",
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
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "case",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transfers",
                        to="cases.case",
                    ),
                ),
                (
                    "from_user",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "to_user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["at", "pk"],
            },
        ),
        # Not reversed: the reasons stay on their (encrypted) transfer rows.
        migrations.RunPython(move_transfer_reasons, migrations.RunPython.noop),
    ]
