"""Educators and reviewers can add and edit topics (a snippet)."""

from django.db import migrations


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make them now.
    app_config = apps.get_app_config("courses")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="courses",
        codename__in=["add_topic", "change_topic", "view_topic"],
    )
    for group in Group.objects.filter(name__in=["Educators", "Reviewers"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_lessonpage_quiz_alter_coursepage_completion_rule"),
        ("accounts", "0002_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
