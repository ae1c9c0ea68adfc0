from django import template
from django.utils.html import format_html, format_html_join

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


def _label(key):
    return str(key).replace("_", " ").capitalize()


def _value_html(value):
    if value is None or value == "" or value == [] or value == {}:
        return format_html("{}", "—")
    if value is True:
        return format_html("{}", "Yes")
    if value is False:
        return format_html("{}", "No")
    if isinstance(value, dict):
        return format_html(
            '<dl class="kh-data-list">{}</dl>',
            format_html_join(
                "",
                "<dt>{}</dt><dd>{}</dd>",
                ((_label(k), _value_html(v)) for k, v in value.items()),
            ),
        )
    if isinstance(value, list):
        return format_html(
            '<ol class="kh-list kh-list--number">{}</ol>',
            format_html_join("", "<li>{}</li>", ((_value_html(v),) for v in value)),
        )
    return format_html("{}", value)


@register.filter
def data_rows(record):
    """A record of the member's data as summary-list rows, every value escaped."""
    return [{"key": _label(key), "value": _value_html(value)} for key, value in record.items()]
