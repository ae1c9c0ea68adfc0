"""An administrator finds an email that could not be sent, tries it again from
Reports → Emails, and checks Reports → Background tasks (issue 15)."""

import pytest
from django.core import mail
from django.utils import timezone

from background.models import OutgoingEmail
from background.services import worker_heartbeat
from tests.e2e.helpers import sign_in
from tests.factories import UserFactory
from tests.factories.branches import with_mfa

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_administrator_tries_a_failed_email_again(visit):
    admin = UserFactory(display_name="Ada Admin", is_superuser=True, is_staff=True)
    secret = with_mfa(admin)
    OutgoingEmail.objects.create(
        recipient="member@example.org",
        recipients=["member@example.org"],
        subject="Join Northshire Health Branch on Knowhow",
        message_id="<e2e-1@knowhow.example>",
        payload={
            "subject": "Join Northshire Health Branch on Knowhow",
            "body": "Follow the link to join.",
            "from_email": "Knowhow <no-reply@knowhow.example>",
            "to": ["member@example.org"],
            "cc": [],
            "bcc": [],
            "reply_to": [],
            "headers": {"Message-ID": "<e2e-1@knowhow.example>"},
            "alternatives": [],
            "attachments": [],
            "content_subtype": "plain",
            "mixed_subtype": "mixed",
            "alternative_subtype": "alternative",
            "encoding": None,
        },
        status="failed",
        attempts=28,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
        retry_until=timezone.now(),
        failed_at=timezone.now(),
    )
    worker_heartbeat(worker_id="web-1-4242-abcdefgh")
    page = visit.page
    sign_in(visit, admin, secret)

    visit.goto("/admin/reports/emails/")
    assert page.get_by_role("rowheader", name="member@example.org").is_visible()
    assert page.get_by_text("ConnectionRefusedError").is_visible()
    assert page.get_by_text("Follow the link to join.").count() == 0, "never the body"
    page.get_by_label(
        "Try again: Join Northshire Health Branch on Knowhow to member@example.org"
    ).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Try the chosen emails again").click()
    assert page.get_by_text("Trying 1 email again.").is_visible()
    visit.assert_accessible()
    assert OutgoingEmail.objects.get().status == "sent"
    assert [m.to for m in mail.outbox] == [["member@example.org"]]

    visit.goto("/admin/reports/tasks/")
    assert page.get_by_role("rowheader", name="web-1-4242-abcdefgh").is_visible()
    assert page.get_by_text("No failed tasks.").is_visible()
