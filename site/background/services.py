"""Email delivery with retries, and the housekeeping that keeps the queue honest.

An email is written once (outgoing_email_record) and delivered by
outgoing_email_deliver, which a task runs in a worker. Delivery is guarded by
the row, not by the task: a task that runs twice, or a task retried after its
worker was killed, finds the row already sent (or held by a live worker) and
does nothing. The one window left is a worker that dies after the mail server
accepted the message and before the row says so; the retry then sends it
again with the same Message-ID, which receiving systems use to drop copies.
"""

import logging
import os
import random
import smtplib
import socket
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background.mail import message_from_json, message_id_for, message_to_json
from background.models import OutgoingEmail, WorkerHeartbeat

logger = logging.getLogger("background")

# A task due this close to now may run: workers poll about once a second.
EARLY_TOLERANCE = timedelta(seconds=5)
# How long a due email may wait for its task before the sweep enqueues another.
SWEEP_GRACE = timedelta(minutes=1)


def _enqueue_delivery(email_id: int, *, run_after=None) -> None:
    from background.tasks import email_deliver

    task = email_deliver
    if run_after is not None:
        if not task.get_backend().supports_defer:
            # A backend that cannot wait (the tests' immediate one): the sweep
            # enqueues the email again once it is due.
            return
        task = task.using(run_after=run_after)
    task.enqueue(email_id)


def outgoing_email_record(*, message, now=None) -> OutgoingEmail:
    """Write a message down and enqueue its delivery, in the caller's transaction."""
    now = now or timezone.now()
    recipients = [str(address) for address in message.recipients()]
    message_id = next(
        (str(v) for k, v in message.extra_headers.items() if k.lower() == "message-id"),
        None,
    ) or message_id_for(str(message.from_email))
    with transaction.atomic():
        email = OutgoingEmail.objects.create(
            recipient=parseaddr(recipients[0])[1].lower()[:254],
            recipients=recipients,
            subject=str(message.subject),
            message_id=message_id,
            payload=message_to_json(message, message_id=message_id),
            created_at=now,
            next_attempt_at=now,
            retry_until=now + settings.EMAIL_RETRY_FOR,
        )
        _enqueue_delivery(email.pk)
    return email


def email_retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: the first delay, doubled per attempt, capped; plus
    up to a quarter more at random, so that after an outage the waiting
    messages do not all hit the mail server in the same second."""
    first = settings.EMAIL_RETRY_FIRST_DELAY
    delay = min(first * 2 ** max(attempts - 1, 0), settings.EMAIL_RETRY_MAX_DELAY)
    return delay * random.uniform(1.0, 1.25)  # noqa: S311 - spreading load, not a secret


def _is_permanent(exc: BaseException) -> bool:
    """A 5xx answer about this message or its recipients: trying again cannot help."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    if isinstance(exc, (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)):
        return exc.smtp_code >= 500
    return False


def _describe(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text[:2000]


def outgoing_email_deliver(*, email_id: int) -> str:
    """Send one recorded email through the delivery backend. Returns what happened."""
    now = timezone.now()
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:
            return "missing"
        if email.status in (OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED):
            return email.status
        if email.status == OutgoingEmail.Status.SENDING and email.lease_until > now:
            # Another worker holds it. Look again when its hold runs out, in
            # case that worker died with the message in its hands.
            _enqueue_delivery(email.pk, run_after=email.lease_until)
            return "busy"
        if (
            email.status == OutgoingEmail.Status.PENDING
            and email.next_attempt_at
            and email.next_attempt_at > now + EARLY_TOLERANCE
        ):
            return "not due"  # a duplicate task; the one for the next attempt is queued
        email.status = OutgoingEmail.Status.SENDING
        email.lease_until = now + settings.EMAIL_SEND_LEASE
        email.attempts += 1
        email.save(update_fields=["status", "lease_until", "attempts"])

    message = message_from_json(email.payload)
    try:
        get_connection(settings.EMAIL_DELIVERY_BACKEND).send_messages([message])
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and retried or failed
        return _delivery_failed(email, exc)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
        payload={},
        lease_until=None,
        next_attempt_at=None,
        last_error="",
    )
    return "sent"


def _delivery_failed(email: OutgoingEmail, exc: BaseException) -> str:
    now = timezone.now()
    error = _describe(exc)
    with transaction.atomic():
        if _is_permanent(exc) or now >= email.retry_until:
            OutgoingEmail.objects.filter(pk=email.pk).update(
                status=OutgoingEmail.Status.FAILED,
                failed_at=now,
                lease_until=None,
                next_attempt_at=None,
                last_error=error,
            )
            # The id, not the address: the log is kept longer than the ledger.
            logger.error(
                "Gave up on email %s after %s attempt(s): %s", email.pk, email.attempts, error
            )
            return "failed"
        next_attempt = min(now + email_retry_delay(email.attempts), email.retry_until)
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=OutgoingEmail.Status.PENDING,
            lease_until=None,
            next_attempt_at=next_attempt,
            last_error=error,
        )
        _enqueue_delivery(email.pk, run_after=next_attempt)
    logger.warning(
        "Email %s not sent (attempt %s), trying again at %s: %s",
        email.pk,
        email.attempts,
        next_attempt.isoformat(timespec="seconds"),
        error,
    )
    return "retrying"


def outgoing_email_retry(*, email_ids, now=None) -> int:
    """An administrator's "try again": failed emails start a fresh round of retries."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        for email in OutgoingEmail.objects.select_for_update().filter(
            pk__in=list(email_ids), status=OutgoingEmail.Status.FAILED
        ):
            email.status = OutgoingEmail.Status.PENDING
            email.attempts = 0
            email.next_attempt_at = now
            email.retry_until = now + settings.EMAIL_RETRY_FOR
            email.failed_at = None
            email.save(
                update_fields=["status", "attempts", "next_attempt_at", "retry_until", "failed_at"]
            )
            _enqueue_delivery(email.pk)
            count += 1
    return count


def _emails_with_a_task_waiting() -> set[int]:
    from background.tasks import email_deliver

    waiting = DBTaskResult.objects.filter(
        task_path=email_deliver.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).values_list("args_kwargs", flat=True)
    return {row["args"][0] for row in waiting if row.get("args")}


def outgoing_emails_sweep(*, now=None) -> int:
    """Periodic: enqueue emails that are due and have no task waiting (a task
    that failed on a database error, or the tests' immediate backend)."""
    now = now or timezone.now()
    due = list(
        OutgoingEmail.objects.filter(
            Q(status=OutgoingEmail.Status.PENDING, next_attempt_at__lt=now - SWEEP_GRACE)
            | Q(status=OutgoingEmail.Status.SENDING, lease_until__lt=now - SWEEP_GRACE)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:1000]
    )
    if not due:
        return 0
    waiting = _emails_with_a_task_waiting()
    count = 0
    for pk in due:
        if pk not in waiting:
            _enqueue_delivery(pk)
            count += 1
    return count


def background_prune(*, now=None) -> dict:
    """Periodic: forget what no longer needs remembering. Sent and failed emails
    hold addresses (and failed ones their bodies), so they are kept only
    EMAIL_KEEP_DAYS; finished task results TASKS_KEEP_DAYS."""
    now = now or timezone.now()
    emails, _ = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED],
        created_at__lt=now - timedelta(days=settings.EMAIL_KEEP_DAYS),
    ).delete()
    tasks, _ = (
        DBTaskResult.objects.finished()
        .filter(finished_at__lt=now - timedelta(days=settings.TASKS_KEEP_DAYS))
        .delete()
    )
    workers, _ = WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return {"emails": emails, "task_results": tasks, "workers": workers}


class WorkerLost(Exception):
    """Recorded on a task whose worker kept dying while running it."""


def worker_heartbeat(*, worker_id: str, now=None) -> None:
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(
            worker_id=worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "seen_at": now,
            },
        )


def workers_reap(*, now=None) -> int:
    """Hand tasks left "running" by a dead worker back to the queue.

    django-tasks-db marks a task RUNNING when a worker claims it and never
    looks at it again, so a worker killed mid-task leaves it there for ever.
    A task counts as orphaned once it has run longer than the worker timeout
    and the worker that claimed it has not sent a heartbeat for that long; it
    becomes READY again, and after TASKS_MAX_WORKER_LOSSES such losses it is
    marked failed instead (a task that kills its worker should not go round
    for ever).
    """
    now = now or timezone.now()
    cutoff = now - settings.TASKS_WORKER_TIMEOUT
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    reaped = 0
    with transaction.atomic():
        running = (
            DBTaskResult.objects.running()
            .filter(started_at__lt=cutoff)
            .order_by()
            .select_for_update(skip_locked=True)
        )
        for task in running:
            if task.worker_ids and task.worker_ids[-1] in alive:
                continue
            if len(task.worker_ids) >= settings.TASKS_MAX_WORKER_LOSSES:
                task.set_failed(
                    WorkerLost(f"The worker died while running it {len(task.worker_ids)} times.")
                )
                logger.error("Task %s failed: its worker died %s times", task.id, task.worker_ids)
            else:
                DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.READY)
                logger.warning("Task %s was left running by a dead worker: queued again", task.id)
            reaped += 1
    return reaped
