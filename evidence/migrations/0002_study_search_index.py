"""A GIN full-text index on PostgreSQL; SQLite searches with a simple LIKE fallback instead.

The indexed expression is exactly the one SearchVector("search_document", config="english") generates,
so PostgreSQL's planner can use it.
"""

from django.db import migrations

INDEX = "evidence_study_search_gin"
EXPRESSION = "to_tsvector('english'::regconfig, COALESCE(\"search_document\", ''))"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON "evidence_study" USING gin ({EXPRESSION})')


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]
    operations = [migrations.RunPython(create_index, drop_index)]
