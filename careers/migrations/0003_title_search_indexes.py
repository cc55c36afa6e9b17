"""Trigram indexes for the career search, on PostgreSQL only.

Career search is `icontains` (UPPER(title) LIKE UPPER('%text%')) over career titles and the
56,000 O*NET alternate titles. A B-tree cannot serve a leading wildcard; a pg_trgm GIN index on
the same UPPER(title) expression can. SQLite has no such index and searches a table scan away.
"""

from django.db import migrations

INDEXES = [
    ("careers_career_title_trgm", "careers_career"),
    ("careers_alternatetitle_title_trgm", "careers_alternatetitle"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (UPPER(title) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("careers", "0002_catalog_version")]

    operations = [migrations.RunPython(create, drop)]
