"""Educators and Reviewers (AC-04).

Wagtail's first migrations create "Editors" (may add and edit pages, images and
documents) and "Moderators" (may also publish, lock and unlock). We rename them
to the roles Knowhow uses, so Wagtail's default moderation workflow keeps
pointing at the reviewers, and make sure neither group can manage users.
"""

from django.db import migrations

RENAMES = {"Editors": "Educators", "Moderators": "Reviewers"}
USER_ADMIN_CODENAMES = [
    "add_user", "change_user", "delete_user", "view_user",
    "add_group", "change_group", "delete_group", "view_group",
    "add_permission", "change_permission", "delete_permission", "view_permission",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for old, new in RENAMES.items():
        group = Group.objects.filter(name=old).first()
        if group is None:
            group, _ = Group.objects.get_or_create(name=new)
        else:
            group.name = new
            group.save(update_fields=["name"])
        access_admin = Permission.objects.filter(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ).first()
        if access_admin:
            group.permissions.add(access_admin)
        group.permissions.remove(
            *Permission.objects.filter(codename__in=USER_ADMIN_CODENAMES)
        )


def restore_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for old, new in RENAMES.items():
        Group.objects.filter(name=new).update(name=old)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups, restore_groups)]
