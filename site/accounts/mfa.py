"""Who must use two-factor authentication (AUTH-04)."""

from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q

# Roles defined by other apps (for example branch officers) add conditions
# here from their AppConfig.ready(), so accounts never imports them.
_ROLE_CONDITIONS = []


def mfa_required_when(condition):
    """Require MFA of any user for whom `condition` holds.

    `condition` is a boolean expression over the user model, such as
    Exists(Officer.objects.filter(user=OuterRef("pk"))).
    """
    _ROLE_CONDITIONS.append(condition)


def user_requires_mfa(user) -> bool:
    """Staff, superusers, anyone who can reach the Wagtail admin, and any role
    registered with mfa_required_when.

    Checked on every request, so a new role takes effect at once (AC-03); one
    query rather than loading every permission the user has.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    admin_access = Exists(
        Permission.objects.filter(
            Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")),
            content_type__app_label="wagtailadmin",
            codename="access_admin",
        )
    )
    condition = admin_access
    for extra in _ROLE_CONDITIONS:
        condition |= extra
    return get_user_model().objects.filter(condition, pk=user.pk).exists()


def user_has_mfa(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
