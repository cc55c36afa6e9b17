"""An index in the coaches' changelist order: newest submissions first, drafts (no date) last.

With it PostgreSQL reads the first page from the index instead of sorting every assessment.
PostgreSQL only: SQLite cannot put NULLS LAST in an index (nor needs it at its sizes), and a
model Meta index would have to be created on both.
"""

from django.db import migrations

INDEX = "assessment_admin_order"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON assessments_assessment "
            "(submitted_at DESC NULLS LAST, created_at DESC)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0002_education_snapshot"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
