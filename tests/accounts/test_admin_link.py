"""The header's Admin link shows exactly for people with wagtailadmin.access_admin.

The header no longer asks `perms` (two queries on every signed-in page); it
reads the answer RequireMFAMiddleware already has. Branch officers need MFA
but must not get the link.
"""

import pytest
from django.contrib.auth.models import Permission

from tests.factories import UserFactory, with_mfa
from tests.factories.branches import make_branch, make_officer

pytestmark = pytest.mark.django_db

ADMIN_LINK = '<a href="/admin/" class="kh-header__link">Admin</a>'


def direct_admin_permission():
    user = UserFactory()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return user


PEOPLE = {
    "rep": lambda: UserFactory(),
    "branch officer": lambda: make_officer(make_branch(), mfa=False),
    "staff without the permission": lambda: UserFactory(is_staff=True),
    "educator": lambda: UserFactory(groups=["Educators"]),
    "reviewer": lambda: UserFactory(groups=["Reviewers"]),
    "permission of their own": direct_admin_permission,
    "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("path", ["/", "/accounts/email/"])  # checked by the middleware, or not
def test_admin_link_matches_the_permission(client, who, path):
    user = PEOPLE[who]()
    with_mfa(user)
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    shown = ADMIN_LINK in response.content.decode()
    assert shown == user.has_perm("wagtailadmin.access_admin"), who
    assert shown == (who in {"educator", "reviewer", "permission of their own", "superuser"})
