import logging
import sys

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.unavailable import (
    RETRY_AFTER_SECONDS,
    harden,
    is_cache_unavailable,
    is_database_unavailable,
    unavailable_response,
)

logger = logging.getLogger(__name__)


@login_not_required
@require_safe
@never_cache
def healthz(request):
    """Liveness and database check for load balancers and uptime monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: the database did not answer")
        response = JsonResponse({"status": "error", "database": "unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request, template_name="500.html"):
    """handler500: a database that cannot answer is a 503, anything else a 500.

    Django calls this while handling the exception, wherever it was raised
    (core/unavailable.py says why this and not a middleware).
    """
    exc = sys.exc_info()[1]
    if is_database_unavailable(exc):
        return unavailable_response()
    if is_cache_unavailable(exc):
        return unavailable_response(cache=True)
    return harden(defaults.server_error(request, template_name=template_name))
