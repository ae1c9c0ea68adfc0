"""The paid-release evidence pack (issue #17 item 4): the time-off letter as
PDF and editable text, the certificate of attendance with hours, and the
public check of their verification code."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from branches.applications import application_apply, application_approve
from courses.runs.services import application_confirm, application_withdraw, attendance_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(run, branch, officer, tutor, member):
    application = application_apply(user=member, run=run, branch=branch)
    application_approve(application=application, by=officer)
    return application_confirm(application=application, by=tutor)


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_a_confirmed_place_has_a_letter_with_the_course_dates_and_the_law(
    client, place, run, member
):
    client.force_login(member)
    assert re.fullmatch(r"[0-9a-f]{32}", place.evidence_code)
    response = client.get(reverse("runs:evidence", args=[place.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    letter = response.context["letter"]
    assert "Data rights at work" in letter and "Spring online cohort" in letter
    first = run.sessions.order_by("starts_at").first()
    assert f"{first.starts_at:%-d %B %Y}" in letter
    assert "4 hours in all" in letter
    assert (
        "Section 168(2) of the Trade Union and Labour Relations (Consolidation) Act 1992" in letter
    )
    assert "section 169" in letter
    assert "Acas Code of Practice on time off for trade union duties and activities" in letter
    assert "education@example.org" in letter  # the run's union contact
    assert "Northshire NHS Trust" in letter  # the branch's employer
    assert f"http://testserver/runs/verify/{place.evidence_code}/" in letter
    assert "Sources for this letter" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        ("learning_rep", "Section 168A", "Section 168(2)"),
        ("equality_rep", "Where the provisions of the Employment Rights Act 2025", "Section 168A"),
        ("<script>", "Section 168(2)", "168A"),
    ],
)
def test_the_letter_follows_the_reps_role(client, place, member, role, expected, absent):
    client.force_login(member)
    text = client.get(reverse("runs:letter_txt", args=[place.pk]), {"role": role})
    assert text.status_code == 200
    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert text["Content-Disposition"].startswith("attachment;")
    body = text.content.decode()
    assert expected in body and absent not in body


def test_the_pdf_letter_says_what_the_text_says(client, place, member):
    client.force_login(member)
    response = client.get(reverse("runs:letter_pdf", args=[place.pk]), {"role": "learning_rep"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Request for paid time off for union training" in text
    assert "Section 168A" in text
    assert place.evidence_code in text
    assert PdfReader(io.BytesIO(response.content)).metadata.subject.endswith(place.evidence_code)


def test_hostile_names_are_printed_as_text(client, place, member):
    member.display_name = '<img src="file:///etc/passwd"> \u202eevil'
    member.save()
    client.force_login(member)
    response = client.get(reverse("runs:letter_pdf", args=[place.pk]))
    assert response.status_code == 200
    assert '<img src="file:///etc/passwd">' in pdf_text(response.content)


def test_no_letter_without_a_confirmed_place(client, run, branch, member, officer):
    application = application_apply(user=member, run=run, branch=branch)
    client.force_login(member)
    for name in ("runs:evidence", "runs:letter_pdf", "runs:letter_txt"):
        assert client.get(reverse(name, args=[application.pk])).status_code == 404
    application_approve(application=application, by=officer)
    assert client.get(reverse("runs:evidence", args=[application.pk])).status_code == 404


def test_nobody_else_gets_the_letter(client, place, branch, tutor, officer):
    from tests.factories.branches import make_member

    for person in (make_member(branch).user, officer, tutor):
        client.force_login(person)
        assert client.get(reverse("runs:evidence", args=[place.pk])).status_code == 404
        assert client.get(reverse("runs:letter_pdf", args=[place.pk])).status_code == 404


def _finish(run):
    for session in run.sessions.all():
        session.starts_at -= datetime.timedelta(days=60)
        session.ends_at -= datetime.timedelta(days=60)
        session.save()


def test_a_certificate_of_attendance_with_the_hours_after_the_run(
    client, place, run, tutor, member
):
    client.force_login(member)
    assert client.get(reverse("runs:attendance_pdf", args=[place.pk])).status_code == 404
    _finish(run)
    first, second = run.sessions.order_by("starts_at")
    attendance_record(session=first, present_ids={place.pk}, by=tutor)
    attendance_record(session=second, present_ids=set(), by=tutor)
    page = client.get(reverse("runs:evidence", args=[place.pk]))
    assert "for 2 hours" in page.context["attendance"]
    assert f"{second.starts_at:%-d %B %Y}" not in page.context["attendance"]
    response = client.get(reverse("runs:attendance_pdf", args=[place.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "Certificate of attendance" in text and "for 2 hours" in text
    assert place.evidence_code in text
    txt = client.get(reverse("runs:attendance_txt", args=[place.pk]))
    assert "Tam Tutor" in txt.content.decode()


def test_no_certificate_of_attendance_for_someone_who_missed_every_session(
    client, place, run, tutor, member
):
    _finish(run)
    for session in run.sessions.all():
        attendance_record(session=session, present_ids=set(), by=tutor)
    client.force_login(member)
    assert client.get(reverse("runs:attendance_pdf", args=[place.pk])).status_code == 404


# The public check ---------------------------------------------------------------------


def test_anyone_can_check_a_code_without_learning_who_holds_it(client, place, member):
    response = client.get(reverse("runs:verify", args=[place.evidence_code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "confirmed place on a union course" in html
    assert "Data rights at work" in html
    assert member.display_name not in html and member.email not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize("code", ["0" * 32, "not-a-code", "A" * 32, "x" * 5000])
def test_unknown_and_malformed_codes_look_alike(client, place, code):
    response = client.get(reverse("runs:verify", args=[code]))
    assert response.status_code == 200
    assert "We cannot find a place with this code" in response.content.decode()


def test_a_withdrawn_place_no_longer_checks_out(client, place, member):
    application_withdraw(application=place, by=member)
    html = client.get(reverse("runs:verify", args=[place.evidence_code])).content.decode()
    assert "no longer held" in html
    assert "confirmed place" not in html


def test_the_check_is_rate_limited(client, settings, place):
    settings.CERTIFICATE_VERIFY_RATE = "3/m"
    url = reverse("runs:verify", args=[place.evidence_code])
    assert [client.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
