"""A rep works through one starter course of each topic, as written, in the browser.

Every page of the real content is checked with axe, and every quiz is
answered through the form a rep sees.
"""

import pytest

from assessments.grading import full_marks_response
from assessments.models import Attempt
from courses.catalogue import catalogue_load
from courses.models import Certificate, CoursePage
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COURSES = ["algorithms-ai-introductory", "data-rights-introductory", "procurement-introductory"]


def click(page, role, name):
    with page.expect_navigation():
        page.get_by_role(role, name=name).click()


def answer_quiz(page, attempt):
    for row in attempt.questions.order_by("position"):
        response = full_marks_response(row.snapshot)
        position = row.position
        kind = row.snapshot["kind"]
        if kind in ("single", "true_false"):
            page.check(f"#q{position}-{response['option']}")
        elif kind == "multiple":
            for option in response["options"]:
                page.check(f"#q{position}-{option}")
        elif kind == "short_text":
            page.fill(f"#q{position}-text", response["text"])
        elif kind == "ordering":
            for n, item in enumerate(response["order"], start=1):
                page.select_option(f"#q{position}-{item}", str(n))
        elif kind == "matching":
            for left, right in response["matches"].items():
                page.select_option(f"#q{position}-{left}", right)


@pytest.mark.parametrize("slug", COURSES)
def test_a_rep_completes_a_starter_course(visit, slug):
    catalogue_load()
    rep = UserFactory(email=f"walker-{slug}@example.org")
    course = CoursePage.objects.get(slug=slug)
    page = visit.page
    page.goto(visit.base_url + "/accounts/login/")
    page.fill("input[name=login]", rep.email)
    page.fill("input[name=password]", PASSWORD)
    click(page, "button", "Sign in")

    visit.goto(course.url)
    click(page, "button", "Start course")
    for _ in range(20):  # a course has at most 4 × 4 lessons
        visit.assert_accessible()
        if page.get_by_role("link", name="Take the quiz").count():
            click(page, "link", "Take the quiz")
            visit.assert_accessible()
            click(page, "button", "Start the quiz")
            visit.assert_accessible()
            attempt = Attempt.objects.get(user=rep, state="in_progress")
            answer_quiz(page, attempt)
            click(page, "button", "Save and check your answers")
            visit.assert_accessible()
            click(page, "button", "Submit your answers")
            visit.assert_accessible()
            assert page.get_by_role("heading", name="You passed").is_visible(), page.url
            click(page, "link", "Back to the lesson")
            if page.get_by_role("link", name="Continue to the next lesson").count():
                click(page, "link", "Continue to the next lesson")
                continue
            break
        click(page, "button", "Mark as complete and continue")
        if page.url.rstrip("/").endswith(course.url.rstrip("/")):
            break
    certificate = Certificate.objects.get(user=rep, course=course)
    assert certificate.public_status == "valid"

    # The course's change notes open from the course page and pass axe open too.
    visit.goto(course.url)
    notes = page.locator("#change-notes")
    notes.locator("summary").click()
    assert notes.locator(".kh-details__text").is_visible()
    assert course.change_notes.splitlines()[0] in notes.inner_text()
    visit.assert_accessible()
