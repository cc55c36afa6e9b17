"""An anonymous visitor may submit: a submitted assessment has a submission date and an owner,
or, until its visitor signs up or logs in (or it is removed as stale), that visitor's value."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0005_report_documents"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="assessment",
            name="assessment_submitted_has_owner_and_date",
        ),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "draft"),
                    models.Q(
                        ("submitted_at__isnull", False),
                        models.Q(("owner__isnull", False), models.Q(("visitor", ""), _negated=True), _connector="OR"),
                    ),
                    _connector="OR",
                ),
                name="assessment_submitted_has_date_and_owner_or_visitor",
            ),
        ),
    ]
