"""bench.settings with the background timers shortened, for the two-node test
and the fault suite (bench/faults.py).

Production waits a minute before retrying an email, takes a worker for dead
after a minute of silence and holds an email being sent for ten minutes:
right for a real outage, too slow for a bounded run. Here the same code runs
on seconds, so a dead worker's task is taken over and a blocked mail server's
backlog is sent within the run. Delivery goes over SMTP to EMAIL_HOST and
EMAIL_PORT, which the caller sets (a local test server, without TLS).
"""

import datetime

from bench.settings import *  # noqa: F403

EMAIL_RETRY_FIRST_DELAY = datetime.timedelta(seconds=1)
EMAIL_RETRY_MAX_DELAY = datetime.timedelta(seconds=4)
EMAIL_TIMEOUT = 5
# Longer than any SMTP conversation can take with EMAIL_TIMEOUT.
EMAIL_SEND_LEASE = datetime.timedelta(seconds=8)
TASKS_WORKER_HEARTBEAT = datetime.timedelta(seconds=0.5)
TASKS_WORKER_TIMEOUT = datetime.timedelta(seconds=3)
SCHEDULER_TICK = datetime.timedelta(seconds=0.5)
PERIODIC_JOBS = {
    **PERIODIC_JOBS,  # noqa: F405
    "email_sweep": {
        "call": "background.services.outgoing_emails_sweep",
        "every": datetime.timedelta(seconds=5),
    },
}
