"""Periodic jobs, scheduled by the application rather than a cron line per server.

settings.PERIODIC_JOBS names each job, the function it calls (with no
arguments) and when: ``"every": timedelta(...)`` or ``"daily_at": "HH:MM"``
(local time). A later job registers by adding an entry there.

Every worker process runs scheduler_tick() every few seconds. A job's current
period (this minute; today from 07:00) is claimed by moving
ScheduledJob.period_start forward while holding that row's lock, and the run is
enqueued in the same transaction: however many nodes run the scheduler, each
period is enqueued once. The run (job_run) holds the same lock while it works,
so two runs of one job never overlap (a second waits for the first), and a
scheduler that finds the row locked leaves the period to a later tick rather
than piling up runs behind a slow one; nor is a period enqueued while the
last run still waits in the queue. A period nobody claimed (every worker down)
is claimed late, on the first tick after they return, not skipped.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from background.models import ScheduledJob

logger = logging.getLogger("background")


@dataclass(frozen=True)
class Job:
    name: str
    call: str
    every: datetime.timedelta | None = None
    daily_at: datetime.time | None = None

    def period_start(self, now: datetime.datetime) -> datetime.datetime:
        """The start of the period `now` falls in."""
        if self.every is not None:
            step = int(self.every.total_seconds())
            epoch = int(now.timestamp())
            return datetime.datetime.fromtimestamp(epoch - epoch % step, tz=datetime.UTC)
        local = timezone.localtime(now)
        start = local.replace(
            hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
        )
        if start > local:
            start -= datetime.timedelta(days=1)
        return start


def _job(name, spec) -> Job:
    every, daily_at = spec.get("every"), spec.get("daily_at")
    if (every is None) == (daily_at is None):
        raise ImproperlyConfigured(f"PERIODIC_JOBS[{name!r}] needs one of 'every' or 'daily_at'.")
    if every is not None and (
        not isinstance(every, datetime.timedelta) or every.total_seconds() < 1
    ):
        raise ImproperlyConfigured(f"PERIODIC_JOBS[{name!r}]['every'] must be a timedelta ≥ 1s.")
    if daily_at is not None:
        try:
            daily_at = datetime.time.fromisoformat(daily_at)
        except (TypeError, ValueError) as exc:
            raise ImproperlyConfigured(
                f"PERIODIC_JOBS[{name!r}]['daily_at'] must look like '07:00'."
            ) from exc
    return Job(name=name, call=spec["call"], every=every, daily_at=daily_at)


def jobs() -> dict[str, Job]:
    return {name: _job(name, spec) for name, spec in settings.PERIODIC_JOBS.items()}


def scheduler_tick(*, now=None) -> list[str]:
    """Enqueue a run of every job whose current period nobody has claimed yet."""
    from background.tasks import periodic_job_run

    now = now or timezone.now()
    enqueued = []
    for job in jobs().values():
        period = job.period_start(now)
        ScheduledJob.objects.get_or_create(name=job.name)
        with transaction.atomic():
            row = (
                ScheduledJob.objects.select_for_update(skip_locked=True)
                .filter(name=job.name)
                .first()
            )
            if row is None or (row.period_start is not None and row.period_start >= period):
                continue  # running, being claimed by another scheduler, or done
            if _run_waiting(row):
                continue  # the last run has not started yet: do not pile up another
            row.period_start = period
            row.enqueued_at = timezone.now()
            row.save(update_fields=["period_start", "enqueued_at"])
            periodic_job_run.enqueue(job.name)
        enqueued.append(job.name)
    return enqueued


def _run_waiting(row: ScheduledJob) -> bool:
    """Whether the run last enqueued is still in the queue (and not lost)."""
    if row.enqueued_at is None:
        return False
    started = row.last_started_at is not None and row.last_started_at >= row.enqueued_at
    return not started and timezone.now() - row.enqueued_at < settings.SCHEDULER_STALE_RUN


def job_run(*, name: str):
    """Run one job now; if a run of it is in progress, after that one."""
    job = jobs().get(name)
    if job is None:
        logger.warning("No periodic job called %r: nothing run", name)
        return "unknown job"
    ScheduledJob.objects.get_or_create(name=name)
    # Recorded outside the job's transaction, so it stands even if the job fails.
    ScheduledJob.objects.filter(name=name).update(last_started_at=timezone.now())
    with transaction.atomic():
        # Waits for a run in progress (and for a scheduler's brief claim) rather
        # than skipping: a run that gave way to a scheduler merely looking at
        # the row would lose its period.
        row = ScheduledJob.objects.select_for_update().get(name=name)
        result = import_string(job.call)()
        row.last_finished_at = timezone.now()
        row.save(update_fields=["last_finished_at"])
    return result
