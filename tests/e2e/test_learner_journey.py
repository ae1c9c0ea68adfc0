"""A rep finds a course, works through it, leaves, and picks up where they were."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories.courses import make_course

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "seventeen amber lanterns"


def submit(page):
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def sign_up(visit, mailoutbox, email, name):
    page = visit.page
    visit.goto("/accounts/signup/")
    page.fill("input[name=display_name]", name)
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    submit(page)
    page.wait_for_url("**/accounts/confirm-email/")
    link = re.search(r"http://127\.0\.0\.1:\d+/accounts/confirm-email/\S+/", mailoutbox[-1].body)
    page.goto(link.group(0))
    submit(page)
    page.wait_for_url("**/accounts/login/")


def sign_in(visit, email):
    page = visit.page
    visit.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    page.wait_for_url("**/dashboard/")
    visit.assert_accessible()


def test_rep_filters_starts_completes_two_lessons_and_resumes(visit, mailoutbox):
    make_course(title="Buying technology", topic_slug="procurement")
    make_course(title="Data rights at work", topic_slug="data-rights", modules=2, lessons=3)
    make_course(title="Data rights: advanced", topic_slug="data-rights", level="advanced")
    page = visit.page

    sign_up(visit, mailoutbox, "rep.journey@example.org", "Jo")
    sign_in(visit, "rep.journey@example.org")

    # Find the course by filtering: a plain GET form, no JavaScript needed.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Courses", exact=True
    ).click()
    page.wait_for_url("**/courses/")
    visit.assert_accessible()
    page.select_option("#id_topic", "data-rights")
    page.select_option("#id_level", "introductory")
    page.get_by_role("button", name="Show courses").click()
    page.wait_for_url(re.compile(r".*/courses/\?.*topic=data-rights.*"))
    assert page.get_by_role("status").inner_text().strip().startswith("1 course in Data rights")
    visit.assert_accessible()

    page.get_by_role("link", name="Data rights at work").click()
    visit.assert_accessible()
    page.get_by_role("button", name="Start course").click()
    page.wait_for_url("**/lesson-1-1/")
    visit.assert_accessible()
    assert page.get_by_role("heading", level=1).inner_text() == "Lesson 1.1"

    page.get_by_role("button", name="Mark as complete and continue").click()
    page.wait_for_url("**/lesson-1-2/")
    visit.assert_accessible()
    page.get_by_role("button", name="Mark as complete and continue").click()
    page.wait_for_url("**/lesson-1-3/")

    # Sign out, come back, and carry on from lesson three.
    page.get_by_role("link", name="Sign out").click()
    submit(page)
    page.wait_for_url(visit.base_url + "/")
    sign_in(visit, "rep.journey@example.org")
    expect(page.get_by_text("Continue: Lesson 1.3")).to_be_visible()
    progress = page.locator("main progress").first
    assert progress.get_attribute("value") == "2"
    assert progress.get_attribute("max") == "6"

    page.get_by_role("link", name="Data rights at work").click()
    visit.assert_accessible()
    expect(page.get_by_text("2 of 6 done")).to_be_visible()
    page.get_by_role("link", name="Continue where you left off").click()
    page.wait_for_url("**/lesson-1-3/")
    assert page.locator("main progress").first.get_attribute("value") == "2"
    expect(page.get_by_text("Lesson 3 of 6")).to_be_visible()
    visit.assert_accessible()


def test_catalogue_works_at_320_pixels_without_javascript(browser, live_server):
    make_course(title="Data rights at work", topic_slug="data-rights")
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/courses/?level=introductory")
    expect(page.get_by_role("link", name="Data rights at work")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"page scrolls sideways at 320 px ({width} px wide)"
    context.close()
