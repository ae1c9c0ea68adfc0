"""Records that make background work safe to retry and to run on many nodes.

- OutgoingEmail: every email the site sends, from the moment it is written
  until it is delivered (or given up on), so a message survives a mail server
  that is down and is never sent twice by two workers.
- ScheduledJob: one row per periodic job; claiming a period is an update of
  this row, so two schedulers enqueue each run once.
- WorkerHeartbeat: which worker processes are alive, so work left "running"
  by a worker that died is handed to another.
"""

from django.db import models
from django.utils import timezone


class OutgoingEmail(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # The first envelope recipient, lower-cased: every message Knowhow sends has
    # exactly one, and a member's export or erasure finds their rows by it.
    recipient = models.CharField(max_length=254, db_index=True)
    recipients = models.JSONField(default=list)
    subject = models.TextField()
    # Fixed when the message is written, so a retried send is recognisably the
    # same message to the receiving servers.
    message_id = models.CharField(max_length=255, unique=True)
    # Body, headers, alternatives and attachments; emptied once sent.
    payload = models.JSONField(default=dict)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A worker sending the message holds it until then; after that another may.
    lease_until = models.DateTimeField(null=True, blank=True)
    # Transient failures are retried until then; afterwards the message fails.
    retry_until = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "outgoing email"
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_status_next_idx")]

    def __str__(self):
        return f"Email {self.pk} ({self.get_status_display()})"


class ScheduledJob(models.Model):
    name = models.CharField(max_length=100, unique=True)
    # The start of the latest period a scheduler claimed (and enqueued a run for).
    period_start = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name


class WorkerHeartbeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return self.worker_id
