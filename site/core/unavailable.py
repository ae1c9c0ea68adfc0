"""When the database cannot answer: 503 "try again in a minute", never 500 (issue #15).

The database can fail anywhere in a request: loading the session, the signed-in
user, Wagtail's site, the view, the template, saving the session on the way out.
Django turns an exception at any of those points into a response right where it
happened (each middleware is wrapped), so no middleware sees them all; the
one place every unhandled exception reaches is the 500 handler
(config.urls.handler500 -> core.views.server_error). It asks
`is_database_unavailable` and answers with `unavailable_response`, which
renders a static page without touching the database, the session or the user.

Which errors mean "unavailable" (docs/deployment.md, "When something fails"):

- any InterfaceError: the connection is closed or unusable;
- on PostgreSQL any OperationalError: refused or dropped connections, the
  server shutting down or restarting, too many clients, cancelled statements,
  lock timeouts - all things that pass;
- on SQLite only the OperationalErrors that pass: "database is locked",
  "database table is locked", "unable to open database file", "disk I/O error".
  SQLite reports bad SQL ("no such column", an FTS5 syntax error) as an
  OperationalError too; those are bugs and stay 500s, or they would hide as
  "try again in a minute" for ever.

The cache has keys that must not fail open (rate limits, used TOTP codes:
core/cache.py); when Redis cannot answer for one of those the same handler
answers 503 as well, saying that signing in is paused for a moment.

Workers reconnect by themselves when the database comes back:
CONN_HEALTH_CHECKS (config/settings/base.py) drops a dead persistent
connection before the next request uses it.
"""

import sqlite3

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

RETRY_AFTER_SECONDS = 60
SQLITE_PASSING = (
    "database is locked",
    "database table is locked",
    "unable to open database file",
    "disk i/o error",
)
# The error pages are static: our stylesheet and icon, nothing else, no script.
ERROR_PAGE_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

try:  # psycopg is only installed where PostgreSQL is used
    import psycopg

    PSYCOPG_ERRORS = (psycopg.OperationalError, psycopg.InterfaceError)
except ImportError:  # pragma: no cover
    PSYCOPG_ERRORS = ()


def _chain(exc):
    """`exc` and the exceptions it was raised from or while handling."""
    seen = set()
    while exc is not None and id(exc) not in seen and len(seen) < 20:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def _unavailable(exc):
    if isinstance(exc, sqlite3.OperationalError):
        return str(exc).lower().startswith(SQLITE_PASSING)
    if isinstance(exc, sqlite3.Error):
        return False
    if isinstance(exc, PSYCOPG_ERRORS):
        return True
    if isinstance(exc, InterfaceError):
        return True
    if isinstance(exc, OperationalError):
        # Django's wrapper: the driver's own error says which database spoke.
        cause = exc.__cause__
        if isinstance(cause, sqlite3.Error):
            return _unavailable(cause)
        return True
    return False


def is_database_unavailable(exc):
    """Whether `exc` (or what it came from) means the database cannot answer now."""
    for link in _chain(exc):
        if isinstance(link, (OperationalError, InterfaceError, sqlite3.Error, *PSYCOPG_ERRORS)):
            return _unavailable(link)
    return False


def is_cache_unavailable(exc):
    """Whether `exc` came from a cache key that must not fail open (core/cache.py)."""
    from core.cache import CacheUnavailable

    return any(isinstance(link, CacheUnavailable) for link in _chain(exc))


def harden(response):
    """Headers an error page needs even when the middleware that adds them never ran."""
    response.setdefault("Content-Security-Policy", ERROR_PAGE_CSP)
    response.setdefault("X-Frame-Options", "DENY")
    response.setdefault("X-Content-Type-Options", "nosniff")
    response["Cache-Control"] = "no-store"
    return response


def unavailable_response(*, cache=False):
    """The 503 page: static HTML, rendered with no request, so no database at all.

    With `cache`, it says that signing in and the like are paused, not the site.
    """
    html = loader.get_template("503.html").render({"cache": cache})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return harden(response)
