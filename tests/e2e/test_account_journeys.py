"""A newcomer signs up and signs in; an educator is made to set up MFA."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import totp_now
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEW_PASSWORD = "seventeen amber lanterns"


def text_of(page, selector):
    """The text a person would copy: an input's value or an element's text."""
    return page.locator(selector).evaluate("el => el.value ?? el.textContent").strip()


def submit(page):
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()


def test_newcomer_signs_up_verifies_signs_in_and_out(visit, mailoutbox):
    page = visit.page
    visit.goto("/")
    page.get_by_role("link", name="Create an account").first.click()
    visit.assert_accessible()

    # An empty form is refused with an error summary, and nothing is lost.
    page.fill("input[name=display_name]", "Priya")
    submit(page)
    assert page.title().startswith("Error: ")
    summary = page.locator(".kh-error-summary")
    expect(summary).to_be_visible()
    assert page.input_value("input[name=display_name]") == "Priya"
    visit.assert_accessible()

    page.fill("input[name=email]", "priya@example.org")
    page.fill("input[name=password1]", NEW_PASSWORD)
    page.fill("input[name=password2]", NEW_PASSWORD)
    submit(page)
    page.wait_for_url("**/accounts/confirm-email/")
    expect(page.get_by_role("heading", level=1, name="Verify Your Email Address")).to_be_visible()
    visit.assert_accessible()

    # The verification email, read from the test mailbox.
    assert len(mailoutbox) == 1
    link = re.search(r"http://127\.0\.0\.1:\d+/accounts/confirm-email/\S+/", mailoutbox[0].body)
    assert link, mailoutbox[0].body
    page.goto(link.group(0))
    visit.assert_accessible()
    submit(page)
    page.wait_for_url("**/accounts/login/")
    visit.assert_accessible()

    page.fill("input[name=login]", "priya@example.org")
    page.fill("input[name=password]", NEW_PASSWORD)
    submit(page)
    page.wait_for_url(visit.base_url + "/dashboard/")
    expect(page.locator(".kh-header").get_by_text("Signed in as Priya")).to_be_visible()
    visit.assert_accessible()

    page.get_by_role("link", name="Sign out").click()
    page.wait_for_url("**/accounts/logout/")
    visit.assert_accessible()
    submit(page)
    page.wait_for_url(visit.base_url + "/")
    expect(page.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    assert page.locator(".kh-header").get_by_text("Signed in as").count() == 0


def test_wrong_password_shows_an_error_summary(visit):
    user = UserFactory(email="someone@example.org")
    page = visit.page
    visit.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", "not the right password")
    submit(page)
    assert page.title().startswith("Error: ")
    expect(page.locator(".kh-error-summary")).to_be_visible()
    visit.assert_accessible()


def test_educator_must_set_up_totp_then_reaches_the_admin(visit):
    educator = UserFactory(email="educator@example.org", groups=["Educators"])
    page = visit.page

    visit.goto("/admin/")
    page.wait_for_url("**/accounts/login/?next=/admin/")
    page.fill("input[name=login]", educator.email)
    page.fill("input[name=password]", PASSWORD)
    submit(page)

    # Sent to set up two-factor authentication; allauth first asks for the
    # password again, as it does before any security change.
    page.wait_for_url(re.compile(r".*/accounts/(reauthenticate|2fa/totp/activate)/.*"))
    visit.assert_accessible()
    if "/reauthenticate/" in page.url:
        page.fill("input[name=password]", PASSWORD)
        submit(page)
    page.wait_for_url("**/accounts/2fa/totp/activate/")
    visit.assert_accessible()

    # Nothing else is reachable until MFA is set up.
    page.goto(visit.base_url + "/admin/")
    page.wait_for_url("**/accounts/2fa/totp/activate/")

    secret = text_of(page, "#authenticator_secret")
    page.fill("input[name=code]", totp_now(secret))
    submit(page)
    page.wait_for_url(re.compile(r".*/accounts/2fa/.*"))
    visit.assert_accessible()

    page.goto(visit.base_url + "/accounts/2fa/recovery-codes/")
    visit.assert_accessible()
    recovery_code = text_of(page, "#recovery_codes").split()[0]

    page.goto(visit.base_url + "/admin/")
    page.wait_for_url(visit.base_url + "/admin/")
    visit.assert_accessible()
    assert page.get_by_role("heading", level=1).count() >= 1
    assert "/accounts/" not in page.url

    # Sign out, and back in with a recovery code as the second factor.
    page.goto(visit.base_url + "/accounts/logout/")
    submit(page)
    page.goto(visit.base_url + "/accounts/login/")
    page.fill("input[name=login]", educator.email)
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    page.wait_for_url("**/accounts/2fa/authenticate/")
    visit.assert_accessible()
    page.fill("input[name=code]", recovery_code)
    submit(page)
    page.wait_for_url(visit.base_url + "/dashboard/")
    page.goto(visit.base_url + "/admin/")
    page.wait_for_url(visit.base_url + "/admin/")
