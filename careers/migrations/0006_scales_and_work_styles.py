"""Level scales on requirements, work styles on their own, skills that know their source.

Every existing requirement is on the guide's 0-4 scale (the import rescaled O*NET's levels):
they keep it, marked scale 4, until import_onet is run again and replaces O*NET careers'
requirements with O*NET's own 0-7 levels. A skill the import created (an O*NET element id and
no guide career asking for it) is marked as an O*NET skill.
"""

import django.db.models.deletion
from django.db import migrations, models


def mark_onet_skills(apps, schema_editor):
    Skill = apps.get_model("careers", "Skill")
    guide_asks = Skill.objects.filter(requirements__career__source="guide").values("pk")
    Skill.objects.exclude(external_id="").exclude(pk__in=guide_asks).update(source="onet")


class Migration(migrations.Migration):

    dependencies = [
        ('careers', '0005_learning_step_credential'),
    ]

    operations = [
        migrations.CreateModel(
            name='WorkStyle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('importance', models.DecimalField(decimal_places=2, help_text='1 (minor) to 5 (essential)', max_digits=3)),
            ],
            options={
                'ordering': ['-importance', 'skill__name'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='skillrequirement',
            name='requirement_level_0_to_4',
        ),
        migrations.AddField(
            model_name='career',
            name='related_occupations',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name='career',
            name='typical_education_uncertain',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='skill',
            name='category',
            field=models.CharField(blank=True, max_length=80),
        ),
        migrations.AddField(
            model_name='skill',
            name='source',
            field=models.CharField(choices=[('guide', 'Skillgap career guide'), ('onet', 'O*NET')], default='guide', max_length=10),
        ),
        migrations.AddField(
            model_name='skillrequirement',
            name='scale_max',
            field=models.PositiveSmallIntegerField(choices=[(4, '0-4 (Skillgap)'), (7, '0-7 (O*NET level)')], default=4, help_text='The scale the level is on, and a rating of it'),
        ),
        migrations.AlterField(
            model_name='skill',
            name='kind',
            field=models.CharField(choices=[('technical', 'Technical'), ('soft', 'Soft'), ('knowledge', 'Knowledge'), ('style', 'Work style')], max_length=12),
        ),
        migrations.AlterField(
            model_name='skill',
            name='name',
            field=models.CharField(max_length=200),
        ),
        migrations.AlterField(
            model_name='skillrequirement',
            name='level',
            field=models.DecimalField(decimal_places=2, help_text="Required level, 0 to the scale's top", max_digits=3),
        ),
        migrations.RunPython(mark_onet_skills, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='skill',
            constraint=models.UniqueConstraint(fields=('source', 'kind', 'name'), name='skill_unique_name_per_source_kind'),
        ),
        migrations.AddConstraint(
            model_name='skill',
            constraint=models.UniqueConstraint(condition=models.Q(('source', 'onet'), models.Q(('external_id', ''), _negated=True)), fields=('external_id',), name='skill_unique_onet_element'),
        ),
        migrations.AddConstraint(
            model_name='skillrequirement',
            constraint=models.CheckConstraint(condition=models.Q(('scale_max__in', (4, 7))), name='requirement_known_scale'),
        ),
        migrations.AddConstraint(
            model_name='skillrequirement',
            constraint=models.CheckConstraint(condition=models.Q(('level__gte', 0), ('level__lte', models.F('scale_max'))), name='requirement_level_within_scale'),
        ),
        migrations.AddField(
            model_name='workstyle',
            name='career',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='work_styles', to='careers.career'),
        ),
        migrations.AddField(
            model_name='workstyle',
            name='skill',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='work_styles', to='careers.skill'),
        ),
        migrations.AddConstraint(
            model_name='workstyle',
            constraint=models.UniqueConstraint(fields=('career', 'skill'), name='work_style_unique_per_career_skill'),
        ),
        migrations.AddConstraint(
            model_name='workstyle',
            constraint=models.CheckConstraint(condition=models.Q(('importance__gte', 1), ('importance__lte', 5)), name='work_style_importance_1_to_5'),
        ),
    ]
