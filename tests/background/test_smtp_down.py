"""A broken mail server never shows a rep a 500 for an action that succeeded.

With the delivery backend unable to connect, a rep finishes a course: the
request answers as usual, the completion and the certificate are saved, and
the certificate email goes out once the server is back.
"""

import pytest
from django.utils import timezone

from background.models import OutgoingEmail
from courses.models import Certificate, Enrolment
from courses.services import enrolment_start
from tests.background.conftest import elapse, run_worker
from tests.factories.courses import lessons_of, make_course

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("database_tasks", "smtp_delivery"),
]


def test_finishing_a_course_with_smtp_down_answers_as_usual_and_emails_later(
    client, rep, smtp_server
):
    course = make_course(title="Your data rights", modules=1, lessons=2)
    enrolment_start(user=rep, course=course)
    first, last = lessons_of(course)
    client.force_login(rep)
    client.post(first.url + "complete/")

    # Nothing listens on the mail port: the server is down.
    response = client.post(last.url + "complete/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have completed" in html
    assert Enrolment.objects.get(user=rep).completed_at is not None
    assert Certificate.objects.get(user=rep).status == "valid"
    email = OutgoingEmail.objects.get()
    assert email.recipient == rep.email.lower()
    assert email.subject == "[Knowhow] Your certificate for Your data rights"
    assert email.status == "pending"

    run_worker()
    email.refresh_from_db()
    assert email.status == "pending"
    assert email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at > timezone.now()

    smtp_server.start()
    elapse(minutes=2)
    run_worker()
    run_worker()
    email.refresh_from_db()
    assert email.status == "sent"
    (received,) = smtp_server.messages
    assert received["To"] == rep.email
    assert received["Subject"] == "[Knowhow] Your certificate for Your data rights"
    body = received.get_payload(decode=True).decode()
    assert "Well done: you have completed Your data rights" in body
    assert OutgoingEmail.objects.count() == 1
