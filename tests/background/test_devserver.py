"""`manage.py devserver` (make run): the site and a worker from one command,
both stopped by one Ctrl+C."""

import os
import signal
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import pytest
from django.core.mail import send_mail
from django.db import connection

from background.models import WorkerHeartbeat
from bench.processes import free_port
from tests.background.test_worker_process import database_url, wait_for

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_tasks"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the server processes need a database they can share (CI runs PostgreSQL)",
    ),
]


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own server
            return response.status == 200
    except OSError:
        return False


def group_members(pgid):
    """Live (not zombie) processes in process group `pgid`."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def test_one_command_serves_the_site_runs_a_worker_and_ctrl_c_stops_both():
    port = free_port()
    with tempfile.TemporaryFile(mode="w+") as log:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "devserver", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.dev",
                "DATABASE_URL": database_url(),
                "PYTHONUNBUFFERED": "1",
            },
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # As in a terminal: a shell's background jobs inherit SIGINT ignored.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
        )

        def output():
            log.seek(0)
            return log.read()

        try:
            wait_for(lambda: answers(f"http://127.0.0.1:{port}/healthz"), "the site")
            wait_for(lambda: WorkerHeartbeat.objects.exists(), "the worker")
            send_mail("Hello from the queue", "Printed by the worker.", None, ["a@example.org"])
            wait_for(lambda: "Subject: Hello from the queue" in output(), "the printed email")

            # Ctrl+C in a terminal signals the whole foreground process group.
            os.killpg(server.pid, signal.SIGINT)
            server.wait(timeout=60)
        finally:
            # Never leave a worker behind to take later tests' tasks.
            if server.poll() is None or group_members(server.pid):
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=30)
        assert not answers(f"http://127.0.0.1:{port}/healthz")
        wait_for(lambda: not group_members(server.pid), "every process of the group to exit")
        assert "The background worker stopped" not in output(), output()
