"""The tasks the worker runs. Each is a thin wrapper around a service."""

from django_tasks import task

# Emails go ahead of other background work: people are waiting for them.
EMAIL_PRIORITY = 10
# Periodic jobs (publishing on time, reminders) go ahead of bulk work such as
# the search-index updates a catalogue import queues by the hundred.
PERIODIC_PRIORITY = 5


@task(priority=EMAIL_PRIORITY)
def email_deliver(email_id: int) -> str:
    from background.services import outgoing_email_deliver

    return outgoing_email_deliver(email_id=email_id)


@task(priority=PERIODIC_PRIORITY)
def periodic_job_run(name: str):
    from background.scheduler import job_run

    return job_run(name=name)
