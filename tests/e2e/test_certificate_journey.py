"""A rep earns a certificate, shares it, and an administrator revokes it."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from courses.models import Certificate
from courses.services import enrolment_start
from tests.e2e.helpers import sign_in
from tests.factories import UserFactory, with_mfa
from tests.factories.courses import make_course

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_rep_earns_downloads_shares_and_sees_a_revocation(visit):
    rep = UserFactory(email="cert.rep@example.org", display_name="Łukasz Wójcik")
    course = make_course(title="Data rights at work", modules=1, lessons=1)
    enrolment_start(user=rep, course=course)
    page = visit.page
    sign_in(visit, rep)

    visit.goto(course.url)
    page.get_by_role("link", name="Continue where you left off").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Mark as complete and continue").click()
    expect(page.get_by_text("You completed this course")).to_be_visible()
    visit.assert_accessible()

    visit.goto("/dashboard/")
    page.get_by_role("link", name="Your certificates").click()
    page.wait_for_url("**/certificates/")
    visit.assert_accessible()
    certificate = Certificate.objects.get()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Download the certificate")).click()
    pdf = PdfReader(io.BytesIO(download_info.value.path().read_bytes()))
    text = "".join(p.extract_text() for p in pdf.pages)
    assert "Wójcik" in text
    assert certificate.code in text.replace(" ", "").replace("\n", "")

    verify_url = page.input_value(f"#link-{certificate.code}")
    page.goto(verify_url)
    visit.assert_accessible()
    expect(page.get_by_text("This certificate is valid.")).to_be_visible()
    assert page.locator("main").get_by_text("Wójcik").count() == 0

    page.go_back()
    page.get_by_label("Yes: show my name, Łukasz Wójcik").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    visit.assert_accessible()
    page.goto(verify_url)
    expect(page.locator("main").get_by_text("Łukasz Wójcik")).to_be_visible()

    # An administrator revokes it.
    page.goto(visit.base_url + "/accounts/logout/")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    admin = UserFactory(email="boss@example.org", is_superuser=True, is_staff=True)
    secret = with_mfa(admin)
    sign_in(visit, admin, secret)
    visit.goto("/admin/certificates/")
    page.get_by_role("link", name=re.compile("Revoke")).click()
    visit.assert_accessible()
    page.fill("textarea[name=reason]", "Issued to the wrong account")
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke the certificate").click()

    visit.goto(f"/certificates/verify/{certificate.code}/")
    expect(page.get_by_text("This certificate has been revoked.")).to_be_visible()
    assert page.get_by_text("Data rights at work").count() == 0
