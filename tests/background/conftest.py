"""Fixtures for the queue's own tests: the database task backend, a worker run
in-process, a real SMTP server, and a way to let back-off time pass."""

import datetime
import logging
from unittest import mock

import pytest
from django.db import connection
from django.db.models import F
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from background.models import OutgoingEmail
from bench.processes import SMTPServer, free_port

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_tasks(settings):
    """Tasks go to the database queue, as in production, instead of running at once."""
    settings.TASKS = DATABASE_TASKS


def run_worker(worker_id="test-worker"):
    """One real django-tasks-db worker pass: every task that is due, then stop.

    Inside a test's transaction the worker's connection recycling would close
    the connection that holds it (PostgreSQL), so that one step is skipped
    there; tests with transaction=True run the worker untouched."""
    if connection.in_atomic_block:
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            _worker(worker_id).run()
    else:
        _worker(worker_id).run()


def _worker(worker_id):
    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )


def elapse(**delta):
    """Move every stored time back, as if `delta` had passed."""
    delta = datetime.timedelta(**delta)
    OutgoingEmail.objects.update(
        created_at=F("created_at") - delta,
        retry_until=F("retry_until") - delta,
    )
    OutgoingEmail.objects.filter(next_attempt_at__isnull=False).update(
        next_attempt_at=F("next_attempt_at") - delta
    )
    OutgoingEmail.objects.filter(lease_until__isnull=False).update(
        lease_until=F("lease_until") - delta
    )
    DBTaskResult.objects.exclude(run_after=get_date_max()).update(run_after=F("run_after") - delta)
    DBTaskResult.objects.filter(started_at__isnull=False).update(started_at=F("started_at") - delta)


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp_delivery(settings, smtp_port):
    """Deliver through Django's real SMTP backend to 127.0.0.1:smtp_port."""
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp_server(smtp_port):
    """A real SMTP server on smtp_port, not started: the test decides when it is up."""
    server = SMTPServer(smtp_port)
    yield server
    server.stop()
