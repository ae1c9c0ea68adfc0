"""Educators and reviewers manage the question bank and quizzes."""

from django.db import migrations

MODELS = ["question", "quiz"]
ACTIONS = ["add", "change", "delete", "view"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now.
    app_config = apps.get_app_config("assessments")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="assessments",
        codename__in=[f"{action}_{model}" for action in ACTIONS for model in MODELS],
    )
    for group in Group.objects.filter(name__in=["Educators", "Reviewers"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("accounts", "0002_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
