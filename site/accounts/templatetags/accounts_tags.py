from django import template

from accounts.mfa import account_access

register = template.Library()


@register.simple_tag(takes_context=True)
def may_access_admin(context):
    """perms.wagtailadmin.access_admin, from the answer RequireMFAMiddleware already has.

    Asking `perms` loads all of the user's permissions: two queries on every
    signed-in page, for one link in the header.
    """
    request = context.get("request")
    access = getattr(request, "account_access", None)
    if access is None:
        access = account_access(context.get("user") or request.user)
        if request is not None:
            request.account_access = access
    return access.may_access_admin
