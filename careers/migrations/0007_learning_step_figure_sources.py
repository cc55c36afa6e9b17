from django.db import migrations, models


def onet_times_are_onets(apps, schema_editor):
    # An O*NET career's step takes the months of O*NET's own category (its cost is not known);
    # the guide's steps are set by load_catalog from the catalog file.
    LearningStep = apps.get_model("careers", "LearningStep")
    LearningStep.objects.filter(career__source="onet").update(time_source="onet")


class Migration(migrations.Migration):

    dependencies = [
        ("careers", "0006_scales_and_work_styles"),
    ]

    operations = [
        migrations.AddField(
            model_name="learningstep",
            name="cost_source",
            field=models.CharField(
                choices=[("guide", "the guide's figure"), ("onet", "O*NET's figure"), ("estimate", "our estimate")],
                default="estimate", max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="learningstep",
            name="time_source",
            field=models.CharField(
                choices=[("guide", "the guide's figure"), ("onet", "O*NET's figure"), ("estimate", "our estimate")],
                default="estimate", max_length=10,
            ),
        ),
        migrations.RunPython(onet_times_are_onets, migrations.RunPython.noop),
    ]
