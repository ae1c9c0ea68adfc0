"""Walks Django's URL resolver: every route with its full pattern and view."""

from django.urls import URLPattern, URLResolver, get_resolver


def iter_routes(patterns=None, prefix=""):
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from iter_routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def is_public(view):
    """True when LoginRequiredMiddleware lets anonymous visitors through."""
    return getattr(view, "login_required", True) is False
