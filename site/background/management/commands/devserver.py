"""Development: the site and a background worker from one command (make run).

    python manage.py devserver [addrport]

Starts `manage.py worker` as a child process, then runs `runserver`; Ctrl+C
stops both. Emails are printed by the worker, in the same terminal.
"""

import os
import signal
import subprocess
import sys
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import autoreload


class Command(BaseCommand):
    help = "Serve the site and run a background worker beside it; Ctrl+C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", help="Port, or address:port, to serve on.")

    def handle(self, *, addrport, **options):
        if os.environ.get(autoreload.DJANGO_AUTORELOAD_ENV) == "true":
            # runserver's reloader runs this command again in a child process;
            # the worker belongs to the outer one.
            call_command("runserver", *([addrport] if addrport else []))
            return
        worker = self._start_worker()
        stopping = threading.Event()
        threading.Thread(target=self._watch, args=(worker, stopping), daemon=True).start()
        try:
            call_command("runserver", *([addrport] if addrport else []))
        finally:
            stopping.set()
            self._stop_worker(worker)

    def _start_worker(self):
        env = {k: v for k, v in os.environ.items() if k != autoreload.DJANGO_AUTORELOAD_ENV}
        return subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, os.path.abspath(sys.argv[0]), "worker"], env=env
        )

    def _watch(self, worker, stopping):
        code = worker.wait()
        # Ctrl+C reaches the worker too, and it may stop before runserver does.
        if not stopping.is_set() and code not in (0, -signal.SIGINT):
            self.stderr.write(
                f"The background worker stopped (exit code {code}): emails and other "
                "background work wait until it runs again. Restart with Ctrl+C and make run."
            )

    def _stop_worker(self, worker):
        # Ctrl+C reached the worker too (same process group): give it time to
        # finish its task, then insist.
        for stop in (None, worker.terminate, worker.kill):
            if worker.poll() is not None:
                return
            if stop is not None:
                stop()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                continue
