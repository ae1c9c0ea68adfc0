"""Course runs: edited in the admin with their sessions, listed on the course
page with places left, and exported as iCalendar files (issue #17 item 1)."""

import datetime

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.runs.models import CourseRun, RunKind, RunStatus
from tests.factories import UserFactory, with_mfa
from tests.factories.courses import lessons_of, make_course
from tests.factories.runs import make_run, make_tutor

pytestmark = pytest.mark.django_db

ADD = "/admin/course_runs/new/"


def run_form(course, tutor, *, sessions, **overrides):
    data = {
        "course": str(course.pk),
        "title": "Leeds day school",
        "kind": RunKind.DAY_SCHOOL,
        "tutor": str(tutor.pk),
        "places": "12",
        "applications_close_at": "2027-03-01 17:00",
        "union_contact": "Jo Bloggs, education@example.org",
        "status": RunStatus.OPEN,
        "sessions-TOTAL_FORMS": str(len(sessions)),
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "1000",
        **overrides,
    }
    for n, session in enumerate(sessions):
        data[f"sessions-{n}-ORDER"] = str(n + 1)
        data[f"sessions-{n}-DELETE"] = ""
        data[f"sessions-{n}-id"] = ""
        for key, value in session.items():
            data[f"sessions-{n}-{key}"] = value
    return data


DAY = {
    "starts_at": "2027-03-10 09:30",
    "ends_at": "2027-03-10 16:30",
    "online_url": "",
    "venue": "Unity Hall, Leeds",
}


@pytest.fixture
def educator_client(client, educator):
    with_mfa(educator)
    client.force_login(educator)
    return client


def test_an_educator_adds_a_run_with_sessions_and_required_lessons(educator_client):
    course = make_course(modules=1, lessons=2)
    tutor = make_tutor()
    lesson = lessons_of(course)[0]
    second = {**DAY, "starts_at": "2027-03-17 09:30", "ends_at": "2027-03-17 16:30"}
    data = run_form(course, tutor, sessions=[{**DAY, "required_lessons": [str(lesson.pk)]}, second])
    response = educator_client.post(ADD, data)
    assert response.status_code == 302, response.context["form"].errors
    run = CourseRun.objects.get()
    assert (run.course, run.tutor, run.places, run.kind) == (course, tutor, 12, "day_school")
    sessions = list(run.sessions.order_by("starts_at"))
    assert len(sessions) == 2
    assert list(sessions[0].required_lessons.all()) == [lesson]
    assert not sessions[1].required_lessons.exists()
    # Times are read in the site's zone (Europe/London, GMT in March).
    assert sessions[0].starts_at == datetime.datetime(2027, 3, 10, 9, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("overrides", "session", "field", "message"),
    [
        ({}, {"ends_at": "2027-03-10 09:00"}, "ends_at", "end after it starts"),
        ({"places": "0"}, {}, "places", "greater than or equal to 1"),
        (
            {"applications_close_at": "2027-03-10 10:00"},
            {},
            "applications_close_at",
            "close before the first session",
        ),
        ({}, {"venue": "   "}, "venue", "venue's address"),
        (
            {"kind": RunKind.ONLINE},
            {"venue": ""},
            "online_url",
            "meeting link",
        ),
        ({}, {"online_url": "javascript:alert(1)"}, "online_url", "valid URL"),
    ],
)
def test_the_run_form_refuses_bad_runs(educator_client, overrides, session, field, message):
    course = make_course(modules=1, lessons=1)
    data = run_form(course, make_tutor(), sessions=[{**DAY, **session}], **overrides)
    response = educator_client.post(ADD, data)
    assert response.status_code == 200
    form = response.context["form"]
    errors = dict(form.errors)
    for child in form.formsets["sessions"].forms:
        errors.update(child.errors)
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not CourseRun.objects.exists()


def test_lessons_of_another_course_cannot_be_required(educator_client):
    course = make_course(modules=1, lessons=1)
    other = lessons_of(make_course(modules=1, lessons=1))[0]
    data = run_form(course, make_tutor(), sessions=[{**DAY, "required_lessons": [str(other.pk)]}])
    response = educator_client.post(ADD, data)
    assert response.status_code == 200
    session_errors = response.context["form"].formsets["sessions"].forms[0].errors
    assert "this run's course only" in " ".join(session_errors["required_lessons"])
    assert not CourseRun.objects.exists()


def test_a_run_needs_a_session(educator_client):
    course = make_course(modules=1, lessons=1)
    response = educator_client.post(ADD, run_form(course, make_tutor(), sessions=[]))
    assert response.status_code == 200
    assert not CourseRun.objects.exists()


def test_reps_cannot_reach_the_run_admin(client, rep):
    client.force_login(rep)
    assert client.get(ADD).status_code in {302, 403}
    assert client.get("/admin/course_runs/").status_code in {302, 403}


# The course page -------------------------------------------------------------


def test_the_course_page_lists_upcoming_published_runs_only(client):
    course = make_course(modules=1, lessons=1)
    shown = make_run(course, title="March online cohort", places=8)
    make_run(course, title="Still a draft", status=RunStatus.DRAFT)
    make_run(course, title="Called off", status=RunStatus.CANCELLED)
    make_run(course, title="Last year", starts_in=-datetime.timedelta(days=30))
    response = client.get(course.url)
    runs = response.context["runs"]
    assert [item.run for item in runs] == [shown]
    assert runs[0].places_left == 8
    assert runs[0].session_count == 2
    html = response.content.decode()
    assert "March online cohort" in html
    assert "Still a draft" not in html and "Called off" not in html and "Last year" not in html
    assert "8 of 8" in html


def test_the_course_page_costs_the_same_with_one_run_or_ten(client, rep):
    client.force_login(rep)
    course = make_course(modules=1, lessons=1)
    make_run(course)

    def count():
        client.get(course.url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(course.url).status_code == 200
        return len(captured.captured_queries)

    one = count()
    for _ in range(9):
        make_run(course, sessions=3)
    assert count() == one


# Calendar files ---------------------------------------------------------------


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    calendar = icalendar.Calendar.from_ical(response.content)
    return calendar, list(calendar.walk("VEVENT"))


def test_the_run_calendar_has_every_session_with_stable_uids(client, rep):
    course = make_course(modules=1, lessons=1, title="Data rights at work")
    run = make_run(course, kind=RunKind.DAY_SCHOOL, sessions=2, title="Leeds day school")
    client.force_login(rep)
    calendar, found = events(client.get(f"/runs/{run.pk}/calendar.ics"))
    sessions = list(run.sessions.order_by("starts_at"))
    assert [str(e["uid"]) for e in found] == [
        f"run-{run.pk}-session-{s.pk}@testserver" for s in sessions
    ]
    first = found[0]
    assert first.decoded("dtstart") == sessions[0].starts_at
    assert first.decoded("dtend") == sessions[0].ends_at
    assert str(first["dtstart"].params["TZID"]) == "Europe/London"
    assert first.decoded("dtstamp").tzinfo is not None
    assert first.decoded("dtstamp").utcoffset() == datetime.timedelta(0)
    assert abs(first.decoded("dtstamp") - timezone.now()) < datetime.timedelta(minutes=1)
    assert str(first["location"]) == "Unity Hall, 1 Market Street, Leeds"
    assert "url" not in first
    assert str(first["summary"]) == "Data rights at work: Leeds day school (session 1 of 2)"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    # The same session in a second download keeps its UID: calendars update, not duplicate.
    _, again = events(client.get(f"/runs/{run.pk}/calendar.ics"))
    assert [e["uid"] for e in again] == [e["uid"] for e in found]


def test_a_session_calendar_has_that_session_only(client, rep):
    run = make_run(make_course(modules=1, lessons=1), sessions=3)
    second = run.sessions.order_by("starts_at")[1]
    client.force_login(rep)
    _, found = events(client.get(f"/runs/{run.pk}/sessions/{second.pk}/calendar.ics"))
    assert [str(e["uid"]) for e in found] == [f"run-{run.pk}-session-{second.pk}@testserver"]
    assert "(session 2 of 3)" in str(found[0]["summary"])


def test_online_links_are_only_for_those_with_a_right_to_them(client, rep):
    tutor = make_tutor()
    run = make_run(make_course(modules=1, lessons=1), tutor=tutor, sessions=1)
    client.force_login(rep)
    _, found = events(client.get(f"/runs/{run.pk}/calendar.ics"))
    assert str(found[0]["location"]) == "Online"
    assert "url" not in found[0]
    assert "meet.example.org" not in client.get(f"/runs/{run.pk}/calendar.ics").content.decode()
    client.force_login(tutor)
    _, found = events(client.get(f"/runs/{run.pk}/calendar.ics"))
    assert str(found[0]["url"]) == "https://meet.example.org/room-1"


def test_calendars_of_unpublished_runs_and_unknown_sessions_are_404(client, rep):
    course = make_course(modules=1, lessons=1)
    draft = make_run(course, status=RunStatus.DRAFT)
    published = make_run(course)
    other = make_run(course)
    client.force_login(rep)
    assert client.get(f"/runs/{draft.pk}/calendar.ics").status_code == 404
    assert client.get("/runs/999999/calendar.ics").status_code == 404
    foreign = other.sessions.first().pk
    assert client.get(f"/runs/{published.pk}/sessions/{foreign}/calendar.ics").status_code == 404


def test_calendar_text_is_escaped(client):
    course = make_course(modules=1, lessons=1, title="Rights, duties; and\nmore")
    run = make_run(course, title="Run, one; two")
    user = UserFactory()
    client.force_login(user)
    body = client.get(f"/runs/{run.pk}/calendar.ics").content.decode()
    assert "SUMMARY:Rights\\, duties\\; and\\nmore: Run\\, one\\; two" in body.replace("\r\n ", "")
