"""Who must use two-factor authentication (AUTH-04), and who may open the admin."""

import operator
from dataclasses import dataclass
from functools import reduce

from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Value

# Roles defined by other apps (for example branch officers) add conditions
# here from their AppConfig.ready(), so accounts never imports them.
_ROLE_CONDITIONS = []


def mfa_required_when(condition):
    """Require MFA of any user for whom `condition` holds.

    `condition` is a boolean expression over the user model, such as
    Exists(Officer.objects.filter(user=OuterRef("pk"))).
    """
    _ROLE_CONDITIONS.append(condition)


@dataclass(frozen=True)
class AccountAccess:
    requires_mfa: bool
    # Exactly user.has_perm("wagtailadmin.access_admin") with Django's model
    # backend: the header's Admin link. A branch officer needs MFA but not this.
    may_access_admin: bool


def account_access(user) -> AccountAccess:
    """Whether the user must use MFA (staff, superusers, anyone who can reach the
    Wagtail admin, and any role registered with mfa_required_when), and whether
    they may open the Wagtail admin.

    Checked on every request, so a new role takes effect at once (AC-03); one
    query for both answers rather than loading every permission the user has.
    """
    if not user.is_authenticated or not user.is_active:
        return AccountAccess(requires_mfa=False, may_access_admin=False)
    if user.is_superuser:
        return AccountAccess(requires_mfa=True, may_access_admin=True)
    admin_access = Exists(
        Permission.objects.filter(
            Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")),
            content_type__app_label="wagtailadmin",
            codename="access_admin",
        )
    )
    role = (
        ExpressionWrapper(reduce(operator.or_, _ROLE_CONDITIONS), output_field=BooleanField())
        if _ROLE_CONDITIONS
        else Value(False)
    )
    admin, has_role = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(admin=admin_access, role=role)
        .values_list("admin", "role")
        .get()
    )
    return AccountAccess(requires_mfa=user.is_staff or admin or has_role, may_access_admin=admin)


def user_has_mfa(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
