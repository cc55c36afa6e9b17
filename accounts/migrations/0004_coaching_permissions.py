"""Coaches invite people, rate skills and see their caseload; a "Centre managers" group sees every
account's assessments (the permission "Can view all assessments", which superusers hold anyway).

As in 0002, the permissions are created here if post_migrate has not made them yet.
"""

from django.db import migrations

COACHES = "Coaches"
MANAGERS = "Centre managers"

COACH_PERMISSIONS = {
    ("accounts", "invitation"): ["add", "view"],
    ("accounts", "sharing"): ["view"],
    ("assessments", "coachrating"): ["add", "change", "view"],
}
VIEW_ALL = ("assessments", "assessment", "view_all_assessments", "Can view all assessments")


def permission(apps, app_label, model_name, codename, name):
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model_name)
    found, _ = Permission.objects.get_or_create(content_type=content_type, codename=codename, defaults={"name": name})
    return found


def model_permissions(apps, table):
    for (app_label, model_name), actions in table.items():
        verbose_name = apps.get_model(app_label, model_name)._meta.verbose_name_raw
        for action in actions:
            yield permission(apps, app_label, model_name, f"{action}_{model_name}", f"Can {action} {verbose_name}")


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    coaches, _ = Group.objects.get_or_create(name=COACHES)
    added = list(model_permissions(apps, COACH_PERMISSIONS))
    coaches.permissions.add(*added)
    managers, _ = Group.objects.get_or_create(name=MANAGERS)
    managers.permissions.add(*coaches.permissions.all(), permission(apps, *VIEW_ALL))


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=MANAGERS).delete()
    apps.get_model("auth", "Permission").objects.filter(codename=VIEW_ALL[2]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_caseloads"),
        ("accounts", "0002_coaches_group"),
        ("assessments", "0008_coach_ratings"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
