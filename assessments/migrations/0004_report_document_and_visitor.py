import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.crypto import salted_hmac


def visitors_from_session_keys(apps, schema_editor):
    """Anonymous drafts keep reaching their session: the visitor value is the same keyed hash of
    the session key that questionnaire.visitor() works out. Where one session had two drafts for
    one career, the newest keeps it (one per visitor and career from now on)."""
    Assessment = apps.get_model("assessments", "Assessment")
    seen = set()
    drafts = Assessment.objects.filter(status="draft", owner__isnull=True).exclude(session_key="")
    for draft in drafts.order_by("-updated_at", "-pk").only("pk", "session_key", "career_id"):
        value = salted_hmac("assessments.visitor", draft.session_key).hexdigest()
        if (value, draft.career_id) in seen:
            continue
        seen.add((value, draft.career_id))
        Assessment.objects.filter(pk=draft.pk).update(visitor=value)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0003_admin_order_index'),
        ('careers', '0004_alter_career_job_zone'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ReportPdf',
            fields=[
                ('assessment', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='pdf', serialize=False, to='assessments.assessment')),
                ('content', models.BinaryField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['-created_at'],
            },
        ),
        migrations.AddField(
            model_name='assessment',
            name='visitor',
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.RunPython(visitors_from_session_keys, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='assessment',
            name='session_key',
        ),
        migrations.AddField(
            model_name='assessment',
            name='report',
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='assessment',
            name='report_html',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.UniqueConstraint(condition=models.Q(('owner__isnull', True), ('status', 'draft'), models.Q(('visitor', ''), _negated=True)), fields=('visitor', 'career'), name='assessment_one_anonymous_draft_per_career'),
        ),
    ]
