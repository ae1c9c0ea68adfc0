"""A worker process: django-tasks-db's worker loop, plus a housekeeping thread.

The housekeeping thread keeps this worker's heartbeat fresh, runs the
scheduler (background.scheduler) and hands tasks left running by dead workers
back to the queue (background.services.workers_reap). Every worker does all
three; the database rows they work through make that safe on any number of
nodes.
"""

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import OperationalError, close_old_connections, connection
from django.utils.crypto import get_random_string

from background import services
from background.models import WorkerHeartbeat
from background.scheduler import scheduler_tick

logger = logging.getLogger("background")


def new_worker_id() -> str:
    """Unique across the pool, and says where to look: host-pid-random."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(8)}"[:64]


class Housekeeper(threading.Thread):
    def __init__(self, *, worker_id: str, schedule: bool = True):
        super().__init__(name="background-housekeeper", daemon=True)
        self.worker_id = worker_id
        self.schedule = schedule
        self.stopping = threading.Event()

    def beat(self):
        services.worker_heartbeat(worker_id=self.worker_id)

    def run(self):
        heartbeat = settings.TASKS_WORKER_HEARTBEAT.total_seconds()
        tick = settings.SCHEDULER_TICK.total_seconds()
        next_tick = 0.0
        while not self.stopping.is_set():
            close_old_connections()
            self._safely(self.beat)
            if time.monotonic() >= next_tick:
                if self.schedule:
                    self._safely(scheduler_tick)
                self._safely(services.workers_reap)
                next_tick = time.monotonic() + tick
            self.stopping.wait(min(heartbeat, tick))
        connection.close()

    def _safely(self, step):
        # The database may be away for a while; the worker loop retries on its
        # own, and so does this thread on its next round.
        try:
            step()
        except OperationalError as exc:
            # Locked (SQLite) or unreachable: no traceback, the next round retries.
            logger.warning("Background housekeeping step %s: %s", step.__name__, exc)
            close_old_connections()
        except Exception:
            logger.exception("Background housekeeping step %s failed", step.__name__)
            close_old_connections()

    def stop(self):
        self.stopping.set()
        self.join(timeout=10)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except Exception:
            logger.exception("Could not remove the heartbeat of worker %s", self.worker_id)
