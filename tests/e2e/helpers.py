"""Helpers shared by the browser tests."""

import time

import pyotp

from tests.factories import PASSWORD


def totp_now(secret):
    """A TOTP code with at least five seconds of its 30-second window left,
    so it is still valid when the server checks it (no tolerance is allowed:
    a wider window would let a used code be replayed)."""
    remaining = 30 - time.time() % 30
    if remaining < 5:
        time.sleep(remaining + 0.5)
    return pyotp.TOTP(secret).now()


def sign_in(visit, user, secret=None, password=PASSWORD):
    """Sign in through the real form (and the TOTP step when `secret` is given)."""
    page = visit.page
    page.goto(visit.base_url + "/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    if secret:
        page.fill("input[name=code]", totp_now(secret))
        with page.expect_navigation():
            page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/dashboard/")
