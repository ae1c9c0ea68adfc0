"""Roles created by migration, and who may manage users (AC-04)."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from tests.factories import with_mfa

USER_ADMIN_MODELS = {("accounts", "user"), ("auth", "group"), ("auth", "permission")}


def page_permissions(group):
    return set(
        GroupPagePermission.objects.filter(group=group).values_list(
            "permission__codename", flat=True
        )
    )


@pytest.mark.django_db
def test_migration_creates_educators_and_reviewers_only():
    assert set(Group.objects.values_list("name", flat=True)) == {"Educators", "Reviewers"}


@pytest.mark.django_db
def test_educators_can_edit_but_not_publish():
    educators = Group.objects.get(name="Educators")
    assert educators.permissions.filter(codename="access_admin").exists()
    assert {"add_page", "change_page"} <= page_permissions(educators)
    assert "publish_page" not in page_permissions(educators)


@pytest.mark.django_db
def test_reviewers_can_approve_and_publish():
    reviewers = Group.objects.get(name="Reviewers")
    assert reviewers.permissions.filter(codename="access_admin").exists()
    assert {"add_page", "change_page", "publish_page"} <= page_permissions(reviewers)


@pytest.mark.django_db
def test_no_group_can_manage_users_or_groups():
    for app_label, model in USER_ADMIN_MODELS:
        perms = Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model
        )
        assert not Group.objects.filter(permissions__in=perms).exists(), (app_label, model)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["educator", "reviewer"])
def test_educators_and_reviewers_cannot_open_user_admin(client, request, role):
    user = request.getfixturevalue(role)
    with_mfa(user)
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    for path in ["/admin/users/", "/admin/users/new/", "/admin/groups/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/admin/", path


@pytest.mark.django_db
def test_superuser_can_manage_users(client, superuser, rep):
    with_mfa(superuser)
    client.force_login(superuser)
    assert client.get("/admin/users/").status_code == 200
    response = client.get(f"/admin/users/edit/{rep.pk}/")
    assert response.status_code == 200
    assert "Display name" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/users/"])
def test_reps_have_no_admin_access(client, rep, path):
    client.force_login(rep)
    response = client.get(path, follow=True)
    # Sent to their own dashboard with a reason, not round a sign-in loop.
    assert response.redirect_chain == [("/dashboard/", 302)]
    assert "Your account cannot open the admin." in response.content.decode()
