"""Run a background worker: tasks, the periodic-job scheduler and the reaper.

    python manage.py worker

Run one or more on each server (a systemd unit or your process manager); they
share the queue in the database. Ctrl+C or SIGTERM lets the current task
finish, then stops.
"""

import logging
import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, close_old_connections
from django.utils import autoreload
from django_tasks_db.management.commands.db_worker import Worker

from background.worker import Housekeeper, new_worker_id

logger = logging.getLogger("background")
# Seconds between tries while the database is away.
DATABASE_RETRY_PAUSE = 1.0


class Command(BaseCommand):
    help = "Run background tasks and the periodic-job scheduler until stopped."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue-name",
            default="default",
            help="Queues to work on, separated by commas, or * for all (default: default).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait before looking again when the queue is empty (default 1).",
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_false",
            dest="schedule",
            help="Do not enqueue periodic jobs from this worker.",
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            default=None,
            help="Restart when the code changes (the default when DEBUG is on).",
        )
        parser.add_argument("--no-reload", action="store_false", dest="reload")

    def handle(self, *, queue_name, interval, schedule, reload, verbosity, **options):
        if verbosity > 1:
            for name in ("django_tasks", "django_tasks_db", "background"):
                logging.getLogger(name).setLevel(logging.INFO)
        if reload is None:
            reload = settings.DEBUG
        if reload and os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) != "true":
            # This process only watches the code and restarts its child, which
            # does the work (and comes back here with the variable set).
            autoreload.run_with_reloader(lambda: None)
            return
        worker_id = new_worker_id()
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=True,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        housekeeper = Housekeeper(worker_id=worker_id, schedule=schedule)
        housekeeper.beat()
        housekeeper.start()
        worker.configure_signals()
        if verbosity:
            self.stdout.write(
                f"Background worker {worker_id} started{' with the scheduler' if schedule else ''}."
            )
        try:
            if reload:
                autoreload.run_with_reloader(lambda: self.work(worker, housekeeper))
            else:
                self.work(worker, housekeeper)
        finally:
            housekeeper.stop()

    def work(self, worker, housekeeper):
        """Run the queue until stopped, through database outages.

        django-tasks-db's loop stops at the first database error outside a
        task (and inside one, when it cannot record the failure either). A
        restart of PostgreSQL must not leave a node without its worker, so the
        loop starts again once the database answers. Whatever task the worker
        held is left to the reaper: the worker carries on under a new id, so
        its old id stops sending heartbeats and counts as dead.
        """
        while True:
            try:
                worker.run()
                return
            except (OperationalError, InterfaceError) as exc:
                if not worker.running:
                    return
                old_id, new_id = worker.worker_id, new_worker_id()
                logger.warning(
                    "Background worker %s lost the database (%s); carrying on as %s",
                    old_id,
                    str(exc).strip().splitlines()[0],
                    new_id,
                )
                close_old_connections()
                worker.worker_id = housekeeper.worker_id = new_id
                time.sleep(DATABASE_RETRY_PAUSE)
                self.stdout.write(f"Background worker {new_id} started (was {old_id}).")
