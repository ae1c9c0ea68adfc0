"""Who must use two-factor authentication (AUTH-04)."""

from allauth.mfa.models import Authenticator


def user_requires_mfa(user) -> bool:
    """Staff, superusers and anyone who can reach the Wagtail admin."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def user_has_mfa(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
