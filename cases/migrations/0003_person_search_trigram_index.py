"""PostgreSQL only: pg_trgm and a GIN trigram index on the folded names, so that person search
stays fast on hundreds of thousands of people. SQLite (the local trial) searches without it."""

from django.db import migrations

FORWARD = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS person_search_names_trgm ON cases_person "
    "USING gin (search_names gin_trgm_ops)",
)
BACKWARD = ("DROP INDEX IF EXISTS person_search_names_trgm",)


def _run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_reference_data")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
