"""Who must use two-factor authentication (AUTH-04)."""

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.db.models import Q


def user_requires_mfa(user) -> bool:
    """Staff, superusers and anyone who can reach the Wagtail admin.

    Checked on every request, so a new role takes effect at once (AC-03); one
    query rather than loading every permission the user has.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return Permission.objects.filter(
        Q(user=user) | Q(group__user=user),
        content_type__app_label="wagtailadmin",
        codename="access_admin",
    ).exists()


def user_has_mfa(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
