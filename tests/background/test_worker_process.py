"""Real worker processes against PostgreSQL and a real SMTP server.

A worker killed with SIGKILL in the middle of an SMTP conversation: the task
it held is handed to another worker, which sends the message; the server
receives it exactly once.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.mail import send_mail
from django.db import connection
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background.models import OutgoingEmail, WorkerHeartbeat
from background.tasks import email_deliver, periodic_job_run

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_tasks"),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="worker processes need a database they can share (CI runs PostgreSQL)",
    ),
]


def database_url():
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


def start_worker(smtp_port):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.background.worker_settings",
        "KNOWHOW_TEST_DATABASE_URL": database_url(),
        "KNOWHOW_TEST_SMTP_PORT": str(smtp_port),
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--no-reload", "--interval", "0.1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition, what, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting: {what}")


def test_a_worker_killed_mid_send_is_replaced_and_the_message_arrives_once(smtp_server, smtp_port):
    smtp_server.mailbox.stall_next_data = True
    smtp_server.start()
    send_mail("Your certificate", "Well done.", None, ["rep@example.org"])
    email = OutgoingEmail.objects.get()

    first = start_worker(smtp_port)
    try:
        assert smtp_server.mailbox.stalled.wait(timeout=90), first.stdout.read()
        email.refresh_from_db()
        assert email.status == "sending"
        assert smtp_server.messages == []
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    (task,) = DBTaskResult.objects.filter(task_path=email_deliver.module_path)
    assert task.status == TaskResultStatus.RUNNING, "left running by the dead worker"

    second = start_worker(smtp_port)
    try:
        wait_for(
            lambda: OutgoingEmail.objects.get().status == "sent",
            "the second worker to send the email",
        )
        # Let the second worker's scheduler sweep a few times: nothing more goes.
        wait_for(
            lambda: (
                DBTaskResult.objects.filter(
                    task_path=periodic_job_run.module_path,
                    status=TaskResultStatus.SUCCESSFUL,
                ).count()
                >= 3
            ),
            "three sweeps",
        )
        second.send_signal(signal.SIGTERM)
        output, _ = second.communicate(timeout=30)
    finally:
        if second.poll() is None:
            second.kill()
    assert second.returncode == 0, output

    (received,) = smtp_server.messages
    email = OutgoingEmail.objects.get()
    assert received["Message-ID"] == email.message_id
    assert received["Subject"] == "Your certificate"
    assert email.attempts == 2
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert len(task.worker_ids) == 2, "run again, by the second worker"
    # Any extra delivery task (one that found the dead worker's hold not yet
    # over and looked again later) finished without sending.
    assert {t.status for t in DBTaskResult.objects.filter(task_path=email_deliver.module_path)} == {
        TaskResultStatus.SUCCESSFUL
    }
    assert not WorkerHeartbeat.objects.filter(worker_id=task.worker_ids[1]).exists(), (
        "a worker that stops cleanly takes its heartbeat with it"
    )
