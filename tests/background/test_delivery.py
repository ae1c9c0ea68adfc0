"""Delivery through a real worker and a real SMTP server: retries with back-off,
giving up, permanent refusals, and never sending twice."""

import datetime
import logging

import pytest
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background.models import OutgoingEmail
from background.services import (
    background_prune,
    email_retry_delay,
    outgoing_email_retry,
    outgoing_emails_sweep,
)
from background.tasks import email_deliver
from tests.background.conftest import elapse, run_worker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_tasks", "smtp_delivery")]


def waiting_retry():
    """The one delivery task still waiting, and how long it waits from now."""
    (task,) = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    return task, task.run_after - timezone.now()


def test_an_unreachable_server_is_retried_with_growing_pauses_then_delivered(smtp_server, caplog):
    send_mail("Your certificate", "Well done.", None, ["rep@example.org"])
    caplog.set_level(logging.WARNING, logger="background")

    run_worker()
    email = OutgoingEmail.objects.get()
    assert email.status == "pending"
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    task, wait = waiting_retry()
    assert task.task_path == email_deliver.module_path
    assert datetime.timedelta(seconds=55) < wait <= datetime.timedelta(seconds=76)
    assert "not sent (attempt 1)" in caplog.text
    assert "rep@example.org" not in caplog.text, "the log names the email by id only"

    run_worker()  # nothing is due yet: no attempt is made early
    assert OutgoingEmail.objects.get().attempts == 1

    elapse(seconds=80)
    run_worker()
    assert OutgoingEmail.objects.get().attempts == 2
    _, wait = waiting_retry()
    assert datetime.timedelta(seconds=115) < wait <= datetime.timedelta(seconds=151)

    elapse(seconds=160)
    run_worker()
    assert OutgoingEmail.objects.get().attempts == 3
    _, wait = waiting_retry()
    assert datetime.timedelta(seconds=235) < wait <= datetime.timedelta(seconds=301)

    smtp_server.start()
    elapse(seconds=310)
    run_worker()
    email = OutgoingEmail.objects.get()
    assert email.status == "sent"
    assert email.attempts == 4
    assert email.payload == {}
    (received,) = smtp_server.messages
    assert received["Subject"] == "Your certificate"
    assert received["Message-ID"] == email.message_id
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()


def test_the_pause_doubles_up_to_a_cap(settings):
    settings.EMAIL_RETRY_FIRST_DELAY = datetime.timedelta(minutes=1)
    settings.EMAIL_RETRY_MAX_DELAY = datetime.timedelta(hours=1)
    for attempts, minutes in [(1, 1), (2, 2), (3, 4), (6, 32), (7, 60), (20, 60)]:
        delay = email_retry_delay(attempts)
        assert datetime.timedelta(minutes=minutes) <= delay
        assert delay <= datetime.timedelta(minutes=minutes) * 1.25


def test_after_the_retry_period_the_email_fails_and_is_logged(smtp_server, caplog, settings):
    settings.EMAIL_RETRY_FOR = datetime.timedelta(hours=24)
    send_mail("Reminder", "Body", None, ["rep@example.org"])
    run_worker()
    elapse(hours=23, minutes=59)
    run_worker()
    email = OutgoingEmail.objects.get()
    assert email.status == "pending"
    # The last attempt is made exactly when the retry period ends, not later.
    assert email.next_attempt_at == email.retry_until

    caplog.set_level(logging.ERROR, logger="background")
    elapse(minutes=2)
    run_worker()
    email = OutgoingEmail.objects.get()
    assert email.status == "failed"
    assert email.failed_at is not None
    assert "ConnectionRefusedError" in email.last_error
    assert email.payload["body"] == "Body", "kept so an administrator can try again"
    assert f"Gave up on email {email.pk} after 3 attempt(s)" in caplog.text
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()

    # An administrator tries again once the server is back: delivered once.
    smtp_server.start()
    assert outgoing_email_retry(email_ids=[email.pk]) == 1
    run_worker()
    email = OutgoingEmail.objects.get()
    assert email.status == "sent"
    assert len(smtp_server.messages) == 1
    assert outgoing_email_retry(email_ids=[email.pk]) == 0, "a sent email is not sent again"


def test_a_permanent_refusal_fails_at_once(smtp_server, caplog):
    smtp_server.mailbox.refuse_recipients = True
    smtp_server.start()
    send_mail("Invitation", "Join us", None, ["nobody@example.org"])
    caplog.set_level(logging.ERROR, logger="background")
    run_worker()
    email = OutgoingEmail.objects.get()
    assert email.status == "failed"
    assert email.attempts == 1
    assert "550" in email.last_error
    assert smtp_server.messages == []
    assert "Gave up on email" in caplog.text


def test_duplicate_tasks_for_one_email_send_it_once(smtp_server):
    smtp_server.start()
    send_mail("Once", "Only once", None, ["rep@example.org"])
    email = OutgoingEmail.objects.get()
    for _ in range(3):
        email_deliver.enqueue(email.pk)
    run_worker()
    assert len(smtp_server.messages) == 1
    assert OutgoingEmail.objects.get().attempts == 1
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 4


def test_an_email_held_by_another_worker_is_left_to_it_until_its_hold_ends(smtp_server):
    smtp_server.start()
    send_mail("Held", "Body", None, ["rep@example.org"])
    lease_until = timezone.now() + datetime.timedelta(minutes=5)
    OutgoingEmail.objects.update(status="sending", lease_until=lease_until, attempts=1)
    run_worker()
    assert smtp_server.messages == []
    task, _ = waiting_retry()
    assert task.run_after == lease_until, "looked at again when the hold ends"

    # That worker died: once the hold has run out, this one sends it.
    elapse(minutes=6)
    run_worker()
    assert len(smtp_server.messages) == 1
    assert OutgoingEmail.objects.get().attempts == 2


def test_the_sweep_requeues_due_emails_whose_task_was_lost(smtp_server):
    smtp_server.start()
    send_mail("Lost", "Body", None, ["lost@example.org"])
    send_mail("Queued", "Body", None, ["queued@example.org"])
    lost = OutgoingEmail.objects.get(recipient="lost@example.org")
    DBTaskResult.objects.filter(args_kwargs__args=[lost.pk]).update(status=TaskResultStatus.FAILED)
    assert outgoing_emails_sweep() == 0, "not yet overdue"
    elapse(minutes=2)
    assert outgoing_emails_sweep() == 1, "only the email whose task is gone"
    run_worker()
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "lost@example.org",
        "queued@example.org",
    ]
    assert outgoing_emails_sweep() == 0


def test_pruning_forgets_old_emails_and_task_results(settings):
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.EMAIL_KEEP_DAYS = 30
    settings.TASKS_KEEP_DAYS = 14
    send_mail("Old", "Body", None, ["old@example.org"])
    run_worker()
    DBTaskResult.objects.update(finished_at=timezone.now() - datetime.timedelta(days=15))
    elapse(days=31)
    send_mail("New", "Body", None, ["new@example.org"])
    run_worker()
    OutgoingEmail.objects.create(
        recipient="waiting@example.org",
        subject="Waiting",
        message_id="<w@example.org>",
        retry_until=timezone.now() - datetime.timedelta(days=40),
        created_at=timezone.now() - datetime.timedelta(days=40),
    )
    result = background_prune()
    assert result["emails"] == 1 and result["task_results"] == 1
    assert sorted(OutgoingEmail.objects.values_list("recipient", flat=True)) == [
        "new@example.org",
        "waiting@example.org",
    ]
    assert DBTaskResult.objects.count() == 1
