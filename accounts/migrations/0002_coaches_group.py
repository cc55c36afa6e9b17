"""The "Coaches" group: coaches read careers, assessments and ratings, and write coach notes.

Permissions are normally created after migrations run (post_migrate), so on a fresh database
they do not exist yet here: the ones the group needs are created (get_or_create, with the
names Django gives them) and post_migrate then finds them in place.
"""

from django.db import migrations

GROUP = "Coaches"

PERMISSIONS = {
    ("careers", "skill"): ["view"],
    ("careers", "career"): ["view"],
    ("careers", "alternatetitle"): ["view"],
    ("careers", "skillrequirement"): ["view"],
    ("careers", "learningstep"): ["view"],
    ("careers", "careerlevel"): ["view"],
    ("assessments", "assessment"): ["view"],
    ("assessments", "skillrating"): ["view"],
    ("assessments", "coachnote"): ["add", "change", "view"],
}


def create_coaches_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    group, _ = Group.objects.get_or_create(name=GROUP)
    for (app_label, model_name), actions in PERMISSIONS.items():
        verbose_name = apps.get_model(app_label, model_name)._meta.verbose_name_raw
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
        for action in actions:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model_name}",
                defaults={"name": f"Can {action} {verbose_name}"},
            )
            group.permissions.add(permission)


def remove_coaches_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("careers", "0001_initial"),
        ("assessments", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_coaches_group, remove_coaches_group)]
