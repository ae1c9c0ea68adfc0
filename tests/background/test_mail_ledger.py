"""background.mail: every email is written down, then delivered by a task."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from background.models import OutgoingEmail
from background.tasks import EMAIL_PRIORITY, email_deliver

pytestmark = pytest.mark.django_db


def test_an_email_is_recorded_and_delivered_once_with_its_message_id():
    send_mail("Hello", "The body.", "Knowhow <no-reply@knowhow.example>", ["Rita@Example.org"])
    email = OutgoingEmail.objects.get()
    assert email.status == "sent"
    assert email.recipient == "rita@example.org"
    assert email.recipients == ["Rita@Example.org"]
    assert email.subject == "Hello"
    assert email.attempts == 1
    assert email.sent_at is not None
    assert email.payload == {}, "the body is not kept once sent"
    assert email.message_id.endswith("@knowhow.example>")
    (delivered,) = mail.outbox
    assert delivered.subject == "Hello"
    assert delivered.body == "The body."
    assert delivered.to == ["Rita@Example.org"]
    assert delivered.message()["Message-ID"] == email.message_id


def test_alternatives_attachments_and_headers_survive_the_queue():
    message = EmailMultiAlternatives(
        "Report",
        "Plain text",
        None,
        ["a@example.org"],
        cc=["b@example.org"],
        bcc=["c@example.org"],
        reply_to=["officer@example.org"],
        headers={"X-Knowhow": "yes"},
    )
    message.attach_alternative("<p>HTML</p>", "text/html")
    message.attach("notes.txt", "some notes", "text/plain")
    message.attach("data.bin", b"\x00\xff\x10", "application/octet-stream")
    message.send()
    (delivered,) = mail.outbox
    assert delivered.alternatives == [("<p>HTML</p>", "text/html")]
    assert [tuple(a) for a in delivered.attachments] == [
        ("notes.txt", "some notes", "text/plain"),
        ("data.bin", b"\x00\xff\x10", "application/octet-stream"),
    ]
    assert delivered.cc == ["b@example.org"] and delivered.bcc == ["c@example.org"]
    assert delivered.reply_to == ["officer@example.org"]
    assert delivered.extra_headers["X-Knowhow"] == "yes"
    assert OutgoingEmail.objects.get().recipients == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]


def test_a_message_without_recipients_is_not_recorded():
    assert EmailMultiAlternatives("Nobody", "x", None, []).send() == 0
    assert not OutgoingEmail.objects.exists()
    assert mail.outbox == []


def test_a_message_id_set_by_the_sender_is_kept():
    EmailMultiAlternatives(
        "Hi", "x", None, ["a@example.org"], headers={"Message-ID": "<fixed@example.org>"}
    ).send()
    assert OutgoingEmail.objects.get().message_id == "<fixed@example.org>"
    assert mail.outbox[0].message()["Message-ID"] == "<fixed@example.org>"


def test_with_the_database_queue_the_email_waits_for_a_worker(database_tasks):
    send_mail("Queued", "Body", None, ["a@example.org"])
    email = OutgoingEmail.objects.get()
    assert email.status == "pending"
    assert email.payload["body"] == "Body"
    assert mail.outbox == []
    (task,) = DBTaskResult.objects.all()
    assert task.task_path == email_deliver.module_path
    assert task.args_kwargs == {"args": [email.pk], "kwargs": {}}
    assert task.priority == EMAIL_PRIORITY


def test_the_email_and_its_task_are_written_with_the_callers_transaction(database_tasks):
    def send_then_fail():
        with transaction.atomic():
            send_mail("Rolled back", "Body", None, ["a@example.org"])
            raise RuntimeError

    with pytest.raises(RuntimeError):
        send_then_fail()
    assert not OutgoingEmail.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_account_emails_from_allauth_go_through_the_ledger(client):
    response = client.post(
        "/accounts/signup/",
        {
            "display_name": "New Rep",
            "email": "new.rep@example.org",
            "password1": "a-long-enough-password-9",
            "password2": "a-long-enough-password-9",
        },
    )
    assert response.status_code == 302
    email = OutgoingEmail.objects.get(recipient="new.rep@example.org")
    assert email.status == "sent"
    assert "Confirm" in email.subject or "confirm" in email.subject.lower()
    assert [m.to for m in mail.outbox] == [["new.rep@example.org"]]
