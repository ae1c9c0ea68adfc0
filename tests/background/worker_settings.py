"""Settings for worker processes that tests start: the test settings with the
database queue, real SMTP to the test's server, and short timeouts so a dead
worker is noticed in a second or two rather than a minute."""

import datetime
import os

import dj_database_url

from config.settings.test import *  # noqa: F403

DATABASES = {"default": dj_database_url.parse(os.environ["KNOWHOW_TEST_DATABASE_URL"])}
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
EMAIL_BACKEND = "background.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ.get("KNOWHOW_TEST_SMTP_PORT", "25"))
EMAIL_USE_TLS = False
EMAIL_TIMEOUT = 30
EMAIL_SEND_LEASE = datetime.timedelta(seconds=2)
TASKS_WORKER_HEARTBEAT = datetime.timedelta(seconds=0.2)
TASKS_WORKER_TIMEOUT = datetime.timedelta(seconds=1.5)
SCHEDULER_TICK = datetime.timedelta(seconds=0.2)
PERIODIC_JOBS = {
    "email_sweep": {
        "call": "background.services.outgoing_emails_sweep",
        "every": datetime.timedelta(seconds=1),
    },
}
