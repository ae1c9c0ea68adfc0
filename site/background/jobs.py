"""Periodic jobs that wrap a management command (see settings.PERIODIC_JOBS)."""

import io

from django.core.management import call_command


def publish_scheduled() -> str:
    """Publish pages whose go-live time has come, and unpublish expired ones."""
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    return out.getvalue().strip()[:500]
