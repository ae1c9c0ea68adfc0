"""What background work holds about a person (core.privacy): the emails sent
to them, and the task results of their delivery. Registered from
BackgroundConfig.ready."""

from django_tasks_db.models import DBTaskResult

from background.models import OutgoingEmail
from core import privacy
from core.privacy import Erasure

DELIVERY_TASK = "background.tasks.email_deliver"


def _emails(subject):
    # Every message has one envelope recipient, stored lower-cased.
    return OutgoingEmail.objects.filter(recipient__in=sorted(subject.emails))


def _email_export(subject):
    rows = _emails(subject).order_by("created_at", "pk")
    for row in rows.values("subject", "status", "created_at", "sent_at", "recipient"):
        yield {
            "to": row["recipient"],
            "subject": row["subject"],
            "status": row["status"],
            "written": row["created_at"],
            "sent": row["sent_at"],
        }


def _deliveries(subject):
    """Delivery tasks of the emails to the person (their only argument is the
    email's id, listed before the emails are erased)."""
    ids = list(subject.about_pks("background.OutgoingEmail"))
    return DBTaskResult.objects.filter(task_path=DELIVERY_TASK, args_kwargs__args__0__in=ids)


def _delivery_export(subject):
    for row in (
        _deliveries(subject).order_by("enqueued_at").values("status", "enqueued_at", "finished_at")
    ):
        yield {"status": row["status"], "queued": row["enqueued_at"], "done": row["finished_at"]}


def register():
    privacy.register(
        OutgoingEmail,
        section="emails",
        title="Emails Knowhow sent you",
        export=_email_export,
        erase=lambda subject: _emails(subject).delete(),
        erasure=Erasure.DELETE,
        reason="An address, a subject and perhaps a body: all about the person.",
        about=lambda subject: _emails(subject).values_list("pk", flat=True),
        description="Sent emails are kept for a short time, then deleted.",
    )
    privacy.register(
        DBTaskResult,
        section="email_deliveries",
        title="Deliveries of those emails",
        export=_delivery_export,
        erase=lambda subject: _deliveries(subject).delete(),
        erasure=Erasure.DELETE,
        reason="A delivery's error message can quote the address.",
    )
    privacy.not_personal("background.ScheduledJob", reason="A periodic job's name and times.")
    privacy.not_personal("background.WorkerHeartbeat", reason="A server's name and process id.")
