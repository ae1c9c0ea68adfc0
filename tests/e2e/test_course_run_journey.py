"""A tutor-led run from application to certificate, in three browsers
(issue #17): a rep applies, their branch officer approves, the tutor
confirms, the rep downloads the time-off letter, the tutor marks attendance,
the rep finishes the lesson and gets the certificate. Axe on every page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from courses.runs.models import RunApplication
from tests.e2e.conftest import _tab
from tests.e2e.test_branch_journey import follow, sign_in_checked, submit
from tests.factories import UserFactory, with_mfa
from tests.factories.branches import make_branch, make_member, make_officer
from tests.factories.courses import lessons_of, make_course
from tests.factories.runs import make_run, make_tutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def third_visit(browser, live_server):
    with _tab(browser, live_server.url) as tab:
        yield tab


def test_a_rep_goes_from_application_to_certificate(visit, second_visit, third_visit):
    rep_visit, officer_visit, tutor_visit = visit, second_visit, third_visit
    rep, officer_page, tutor_page = rep_visit.page, officer_visit.page, tutor_visit.page
    branch = make_branch("Northshire Health branch")
    course = make_course(title="Data rights at work", modules=1, lessons=1)
    tutor = make_tutor(display_name="Tam Tutor", mfa=False)
    run = make_run(course, tutor=tutor, places=1, sessions=1, title="Spring online cohort")
    session = run.sessions.get()
    session.required_lessons.add(lessons_of(course)[0])
    session.save()
    member = make_member(branch, UserFactory(display_name="Rosa Rep"), shares=False).user

    # The rep finds the run on the course page and applies.
    sign_in_checked(rep_visit, member)
    rep_visit.goto(course.url)
    follow(rep_visit, "Spring online cohort")
    with rep.expect_navigation():
        rep.get_by_role("link", name="Apply for a place").click()
    rep_visit.assert_accessible()
    rep.get_by_label("Northshire Health branch").check()
    rep.get_by_label("A note for your branch officers").fill("I am our new data rep.")
    submit(rep, "Send my application")
    rep_visit.assert_accessible()
    expect(rep.get_by_text("Waiting for your branch")).to_be_visible()

    # The officer approves it from the branch dashboard.
    officer = make_officer(branch, UserFactory(display_name="Olu Officer"), mfa=False)
    sign_in_checked(officer_visit, officer, with_mfa(officer))
    follow(officer_visit, "Northshire Health branch: members' progress")
    follow(officer_visit, "Rosa Rep: Spring online cohort")
    expect(officer_page.get_by_text("I am our new data rep.")).to_be_visible()
    officer_page.get_by_label("Approve the application").check()
    submit(officer_page, "Send the decision")
    officer_visit.assert_accessible()
    expect(officer_page.get_by_text("Approved. The tutor will confirm the place.")).to_be_visible()

    # The tutor confirms the place.
    sign_in_checked(tutor_visit, tutor, with_mfa(tutor))
    tutor_visit.goto(f"/runs/{run.pk}/manage/")
    submit(tutor_page, "Confirm the place of Rosa Rep")
    tutor_visit.assert_accessible()
    expect(tutor_page.get_by_text("Rosa Rep's place is confirmed.")).to_be_visible()

    # The rep downloads the letter to their employer.
    rep_visit.goto(f"/runs/{run.pk}/")
    expect(rep.get_by_text("Place confirmed")).to_be_visible()
    follow(rep_visit, "Your letter to your employer asking for paid time off")
    expect(rep.get_by_text("Section 168(2) of the Trade Union")).to_be_visible()
    with rep.expect_download() as download_info:
        rep.get_by_role("link", name="Download the letter (PDF)").click()
    download = download_info.value
    code = RunApplication.objects.get().evidence_code
    assert download.suggested_filename == f"time-off-request-{code[:8]}.pdf"
    assert download.path().read_bytes().startswith(b"%PDF")

    # The session takes place; the rep finishes the lesson it needs.
    session.starts_at -= datetime.timedelta(days=30)
    session.ends_at -= datetime.timedelta(days=30)
    session.save()
    rep_visit.goto(course.url)
    submit(rep, "Start course")
    rep_visit.assert_accessible()
    submit(rep, "Mark as complete and continue")
    rep_visit.assert_accessible()

    # The tutor marks the register: the rep has now completed the run.
    tutor_visit.goto(f"/runs/{run.pk}/manage/")
    follow(tutor_visit, re.compile("^Session 1"))
    tutor_page.get_by_label("Rosa Rep").check()
    submit(tutor_page, "Save the register")
    tutor_visit.assert_accessible()
    expect(tutor_page.get_by_text("The register is saved. 1 completed the run.")).to_be_visible()

    # And the rep has the course certificate.
    rep_visit.goto("/certificates/")
    expect(rep.get_by_text("Data rights at work").first).to_be_visible()
