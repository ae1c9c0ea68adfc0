"""Reports → Emails and Reports → Background tasks: superusers only, no bodies."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.mail import send_mail
from django_tasks_db.models import DBTaskResult

from background.models import OutgoingEmail, WorkerHeartbeat
from background.services import worker_heartbeat
from background.tasks import email_deliver
from tests.background.conftest import run_worker

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_tasks")]


@pytest.fixture
def admin_client(client, superuser):
    TOTP.activate(superuser, generate_totp_secret())
    client.force_login(superuser)
    return client


@pytest.fixture
def failed_email(settings):
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_mail("Join Northshire Health on Knowhow", "SECRET BODY TEXT", None, ["x@example.org"])
    OutgoingEmail.objects.update(
        status="failed", attempts=30, last_error="ConnectionRefusedError: [Errno 111]"
    )
    DBTaskResult.objects.all().delete()
    return OutgoingEmail.objects.get()


def test_the_emails_report_shows_failed_emails_without_their_text(admin_client, failed_email):
    send_mail("Still waiting", "OTHER BODY", None, ["waiting@example.org"])
    html = admin_client.get("/admin/reports/emails/").content.decode()
    assert "x@example.org" in html
    assert "Join Northshire Health on Knowhow" in html
    assert "ConnectionRefusedError" in html
    assert "waiting@example.org" in html and "Waiting to be sent" in html
    assert "SECRET BODY TEXT" not in html and "OTHER BODY" not in html
    assert f'name="email" value="{failed_email.pk}"' in html
    sidebar = admin_client.get("/admin/").content.decode()
    assert "/admin/reports/emails/" in sidebar
    assert "/admin/reports/tasks/" in sidebar


def test_trying_a_failed_email_again_from_the_report_delivers_it(
    admin_client, failed_email, mailoutbox
):
    response = admin_client.post("/admin/reports/emails/retry/", {"email": [failed_email.pk]})
    assert response.status_code == 302
    failed_email.refresh_from_db()
    assert failed_email.status == "pending" and failed_email.attempts == 0
    run_worker()
    assert [m.subject for m in mailoutbox] == ["Join Northshire Health on Knowhow"]
    assert OutgoingEmail.objects.get().status == "sent"


def test_try_every_failed_email_again(admin_client, failed_email):
    admin_client.post("/admin/reports/emails/retry/", {"all": "failed"})
    assert OutgoingEmail.objects.get().status == "pending"


def test_hostile_retry_input_changes_nothing(admin_client, failed_email):
    for data in ({"email": ["x", "-1", "99999"]}, {}, {"all": "everything"}):
        response = admin_client.post("/admin/reports/emails/retry/", data)
        assert response.status_code == 302
    assert OutgoingEmail.objects.get().status == "failed"
    assert admin_client.get("/admin/reports/emails/?status=<script>&page=x").status_code == 200


def test_the_tasks_report_lists_failed_tasks_and_live_workers(admin_client):
    worker_heartbeat(worker_id="web-1-1234-abcdefgh")
    email_deliver.enqueue(424242)
    DBTaskResult.objects.update(
        status="FAILED", traceback="Traceback...\nValueError: boom", finished_at="2026-12-01T10:00Z"
    )
    html = admin_client.get("/admin/reports/tasks/").content.decode()
    assert "email_deliver" in html
    assert "ValueError: boom" in html
    assert "web-1-1234-abcdefgh" in html


@pytest.mark.parametrize("url", ["/admin/reports/emails/", "/admin/reports/tasks/"])
def test_other_admin_users_are_refused(client, educator, failed_email, url):
    TOTP.activate(educator, generate_totp_secret())
    client.force_login(educator)
    assert url not in client.get("/admin/").content.decode(), "not in their menu"
    response = client.get(url)
    assert response.status_code in {302, 403}
    assert "x@example.org" not in response.content.decode()
    client.post("/admin/reports/emails/retry/", {"all": "failed"})
    assert OutgoingEmail.objects.get().status == "failed"


def test_a_superuser_without_two_factor_is_sent_to_set_it_up(client, superuser, failed_email):
    client.force_login(superuser)
    response = client.get("/admin/reports/emails/")
    assert response.status_code == 302
    assert "x@example.org" not in response.content.decode()
    assert not WorkerHeartbeat.objects.exists()
