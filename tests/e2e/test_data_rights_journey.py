"""A rep downloads their data, then deletes their account (issue #16), in a
real browser: axe on every new page, and the same with JavaScript off at
320 px."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from wagtail.models import ModelLogEntry

from assessments.services import attempt_start, attempt_submit
from tests.e2e.helpers import sign_in
from tests.factories import PASSWORD, UserFactory, with_mfa
from tests.factories.assessments import make_question, make_quiz
from tests.factories.branches import make_branch, make_member
from tests.factories.courses import complete, make_course

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TYPED = "my own words about the works council"


def a_rep_with_a_history():
    rep = UserFactory(email="rosa@example.org", display_name="Rosa Rep")
    make_member(make_branch("Northshire Health"), rep, shares=True)
    complete(rep, make_course(title="Algorithms at work", modules=1, lessons=2))
    quiz = make_quiz([make_question("short_text")])
    attempt = attempt_start(user=rep, quiz=quiz)
    row = attempt.questions.get()
    attempt_submit(
        attempt=attempt, version=attempt.version, responses={row.position: {"text": TYPED}}
    )
    return rep


def submit(page, name):
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def test_rep_downloads_their_data_then_deletes_their_account(visit, tmp_path):
    rep = a_rep_with_a_history()
    page = visit.page
    sign_in(visit, rep)

    page.locator(".kh-header").get_by_role("link", name="Your account").click()
    page.locator(".kh-subnav").get_by_role("link", name="Your data").click()
    page.wait_for_url("**/accounts/data/")
    expect(page.get_by_role("heading", level=1, name="Your data")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Courses you enrolled on")).to_be_visible()
    expect(page.get_by_text(TYPED)).to_be_visible()
    visit.assert_accessible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download your data (JSON)").click()
    path = tmp_path / "data.json"
    download.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["sections"]["account"]["records"][0]["email"] == "rosa@example.org"
    courses = [r["course"] for r in data["sections"]["enrolments"]["records"]]
    assert courses == ["Algorithms at work"]

    page.get_by_role("link", name="Delete your account").first.click()
    page.wait_for_url("**/accounts/delete/")
    expect(page.get_by_role("heading", level=1, name="Delete your account")).to_be_visible()
    visit.assert_accessible()

    # No password, then a wrong one: refused with an error summary, nothing erased.
    for password, error in [("", "Enter your password."), ("wrong password", "not right")]:
        page.get_by_label("Your password").fill(password)
        submit(page, "Delete my account")
        assert page.title().startswith("Error: ")
        summary = page.locator(".kh-error-summary")
        expect(summary).to_contain_text(error)
        expect(summary).to_be_focused()
        visit.assert_accessible()

    page.get_by_label("Your password").fill(PASSWORD)
    submit(page, "Delete my account")
    page.wait_for_url(visit.base_url + "/")
    expect(page.get_by_text("Your account and everything Knowhow held about you")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    visit.assert_accessible()

    # The account is gone: signing in again is refused.
    page.goto(visit.base_url + "/accounts/login/")
    page.fill("input[name=login]", "rosa@example.org")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    assert page.title().startswith("Error: ")


def assert_fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{page.url} scrolls sideways at 320 px ({width} px wide)"


def test_data_pages_work_without_javascript_at_320_pixels(visit, browser):
    rep = a_rep_with_a_history()
    sign_in(visit, rep)
    # axe waits on timers, which never fire with JavaScript off, so it checks
    # the pages at 320 px here, with JavaScript on.
    visit.page.set_viewport_size({"width": 320, "height": 640})
    visit.goto("/accounts/data/")
    visit.goto("/accounts/delete/")

    context = browser.new_context(
        viewport={"width": 320, "height": 640},
        java_script_enabled=False,
        storage_state=visit.page.context.storage_state(),
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(visit.base_url + "/accounts/data/")
    expect(page.get_by_text(TYPED)).to_be_visible()
    assert_fits(page)
    page.goto(visit.base_url + "/accounts/delete/")
    assert_fits(page)
    submit(page, "Delete my account")
    expect(page.locator(".kh-error-summary")).to_contain_text("Enter your password.")
    assert_fits(page)
    page.get_by_label("Your password").fill(PASSWORD)
    submit(page, "Delete my account")
    assert re.fullmatch(re.escape(visit.base_url) + "/", page.url)
    expect(page.get_by_text("Your account and everything Knowhow held about you")).to_be_visible()
    context.close()


def test_administrator_erases_a_member_who_asked_by_letter(visit):
    rep = a_rep_with_a_history()
    admin = UserFactory(display_name="Ada Admin", is_superuser=True, is_staff=True)
    secret = with_mfa(admin)
    page = visit.page
    sign_in(visit, admin, secret)

    visit.goto("/admin/data-requests/")
    expect(page.get_by_role("heading", level=1, name="Data requests")).to_be_visible()

    # No reason given: refused, nothing erased.
    page.get_by_label("The member's email address").fill("rosa@example.org")
    page.get_by_label("Erase their account and data (cannot be undone)").check()
    submit(page, "Carry out the request")
    expect(page.get_by_text("Give the reason for this request.")).to_be_visible()
    visit.assert_accessible()
    assert get_user_model().objects.filter(pk=rep.pk).exists()

    page.get_by_label("Reason, for the audit log").fill("Letter of 3 May, identity checked")
    submit(page, "Carry out the request")
    expect(page.get_by_text("The account and its personal data have been erased.")).to_be_visible()
    visit.assert_accessible()
    assert not get_user_model().objects.filter(pk=rep.pk).exists()
    entry = ModelLogEntry.objects.get(action="knowhow.account.erase")
    assert (entry.user_id, entry.data) == (
        admin.pk,
        {"reason": "Letter of 3 May, identity checked"},
    )
