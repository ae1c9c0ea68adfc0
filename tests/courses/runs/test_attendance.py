"""The tutor's register, and completing a run: attendance at every session
plus the lessons the sessions need issue the course certificate (issue #17
item 3)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from branches.applications import application_apply, application_approve
from courses.models import Certificate, Enrolment
from courses.runs.models import RunAttendance
from courses.runs.services import ApplicationRefused, application_confirm, attendance_record
from courses.services import enrolment_start, lesson_complete
from tests.factories.branches import make_member
from tests.factories.courses import lessons_of

pytestmark = pytest.mark.django_db


def confirmed(run, branch, officer, tutor, user):
    application = application_apply(user=user, run=run, branch=branch)
    application_approve(application=application, by=officer)
    return application_confirm(application=application, by=tutor)


def into_the_past(run, days=14):
    for session in run.sessions.all():
        session.starts_at -= datetime.timedelta(days=days + 30)
        session.ends_at -= datetime.timedelta(days=days + 30)
        session.save()


@pytest.fixture
def booked(run, branch, officer, tutor, member, course):
    """The rep has a confirmed place; session 1 needs the course's first lesson;
    both sessions are over."""
    application = confirmed(run, branch, officer, tutor, member)
    first = run.sessions.order_by("starts_at").first()
    first.required_lessons.add(lessons_of(course)[0])
    first.save()  # a parental many-to-many is written when its owner is saved
    into_the_past(run)
    return application, list(run.sessions.order_by("starts_at"))


def register(client, run, session, present):
    return client.post(
        reverse("runs:register", args=[run.pk, session.pk]),
        {"present": [str(a.pk) for a in present]},
    )


def test_attending_every_session_after_the_lessons_issues_the_certificate(
    client, run, tutor, member, course, booked
):
    application, sessions = booked
    enrolment_start(user=member, course=course)
    lesson_complete(user=member, lesson=lessons_of(course)[0])
    client.force_login(tutor)
    page = client.get(reverse("runs:register", args=[run.pk, sessions[0].pk]))
    assert page.status_code == 200
    assert register(client, run, sessions[0], [application]).status_code == 302
    application.refresh_from_db()
    assert application.completed_at is None
    assert not Certificate.objects.exists()
    mail.outbox.clear()
    register(client, run, sessions[1], [application])
    application.refresh_from_db()
    assert application.completed_at is not None
    certificate = Certificate.objects.get(user=member, course=course)
    assert certificate.current
    assert Enrolment.objects.get(user=member, course=course).completed_at is not None
    assert any("Your certificate" in m.subject for m in mail.outbox)
    # Saving the register again issues nothing more.
    register(client, run, sessions[1], [application])
    assert Certificate.objects.filter(user=member).count() == 1


def test_the_run_completes_when_the_last_required_lesson_is_done(
    run, tutor, member, course, booked
):
    application, sessions = booked
    assert list(sessions[0].required_lessons.all()) == [lessons_of(course)[0]]
    for session in sessions:
        assert attendance_record(session=session, present_ids={application.pk}, by=tutor) == []
    application.refresh_from_db()
    assert application.completed_at is None
    enrolment_start(user=member, course=course)
    lesson_complete(user=member, lesson=lessons_of(course)[0])
    application.refresh_from_db()
    assert application.completed_at is not None
    assert Certificate.objects.filter(user=member, course=course).count() == 1


def test_a_missed_session_means_no_certificate_and_can_be_corrected(
    run, tutor, member, course, booked, branch, officer
):
    application, sessions = booked
    enrolment_start(user=member, course=course)
    lesson_complete(user=member, lesson=lessons_of(course)[0])
    attendance_record(session=sessions[0], present_ids=set(), by=tutor)
    attendance_record(session=sessions[1], present_ids={application.pk}, by=tutor)
    assert RunAttendance.objects.get(session=sessions[0], user=member).present is False
    assert not Certificate.objects.exists()
    # The tutor corrects the first register.
    completed = attendance_record(session=sessions[0], present_ids={application.pk}, by=tutor)
    assert [a.pk for a in completed] == [application.pk]
    assert RunAttendance.objects.filter(user=member).count() == 2


def test_the_register_lists_only_confirmed_places_and_refuses_others(
    client, run, tutor, member, branch, booked
):
    application, sessions = booked
    outsider = application_apply(user=make_member(branch).user, run=run, branch=branch)
    client.force_login(tutor)
    response = register(client, run, sessions[0], [application, outsider])
    assert response.status_code == 200
    assert "Tick only people with a confirmed place" in response.content.decode()
    assert not RunAttendance.objects.exists()
    with pytest.raises(ApplicationRefused):
        attendance_record(session=sessions[0], present_ids={outsider.pk}, by=tutor)
    assert not RunAttendance.objects.exists()


def test_a_session_not_yet_started_cannot_be_registered(run, branch, officer, tutor, member):
    application = confirmed(run, branch, officer, tutor, member)
    session = run.sessions.order_by("starts_at").first()
    assert session.starts_at > timezone.now()
    with pytest.raises(ApplicationRefused, match="once the session has started"):
        attendance_record(session=session, present_ids={application.pk}, by=tutor)
    assert not RunAttendance.objects.exists()


def test_only_the_tutor_or_an_educator_keeps_the_register(client, run, member, booked):
    application, sessions = booked
    client.force_login(member)
    url = reverse("runs:register", args=[run.pk, sessions[0].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"present": [application.pk]}).status_code == 404
    with pytest.raises(ApplicationRefused):
        attendance_record(session=sessions[0], present_ids={application.pk}, by=member)
    assert not RunAttendance.objects.exists()


def test_a_session_of_another_run_is_404(client, run, tutor, course, booked):
    from tests.factories.runs import make_run

    other = make_run(course, tutor=tutor)
    client.force_login(tutor)
    foreign = other.sessions.first()
    assert client.get(reverse("runs:register", args=[run.pk, foreign.pk])).status_code == 404
