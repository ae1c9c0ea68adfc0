"""An administrator sets up a region and a branch and appoints its officer in
the Wagtail admin; the officer's next request reaches the dashboard, and after
removal it does not (issue 6; AC-03, LOG-01)."""

import re

import pytest
from playwright.sync_api import expect

from branches.models import Branch, BranchOfficer
from tests.e2e.helpers import sign_in
from tests.factories import UserFactory, with_mfa
from tests.factories.branches import make_region

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def officer_visit(second_visit):
    """A second browser, with its own cookies, for the officer."""
    return second_visit


def test_administrator_creates_a_branch_and_appoints_then_removes_an_officer(visit, officer_visit):
    admin = UserFactory(display_name="Ada Admin", is_superuser=True, is_staff=True)
    secret = with_mfa(admin)
    officer = UserFactory(email="coordinator@example.org", display_name="Cora Coordinator")
    region = make_region("Wales")
    page = visit.page
    sign_in(visit, admin, secret)

    visit.goto("/admin/branches/new/")
    page.fill("#id_name", "Cardiff Libraries")
    page.fill("#id_slug", "cardiff-libraries")
    page.select_option("#id_region", label="Wales")
    page.fill("#id_employer", "Cardiff Council")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"^(Create|Save)$")).first.click()
    branch = Branch.objects.get(slug="cardiff-libraries")
    assert branch.region == region
    visit.assert_accessible()  # the branch list

    visit.goto("/admin/officers/")
    # An address with no account is refused, and nothing is written.
    page.fill("#id_email", "nobody@example.org")
    page.select_option("#id_branch", label="Cardiff Libraries")
    with page.expect_navigation():
        page.get_by_role("button", name="Appoint").click()
    expect(page.get_by_text("No active account has this email address.")).to_be_visible()
    assert not BranchOfficer.objects.exists()
    visit.assert_accessible()

    page.fill("#id_email", "Coordinator@Example.org")
    with page.expect_navigation():
        page.get_by_role("button", name="Appoint").click()
    assert BranchOfficer.objects.filter(branch=branch, user=officer).exists()
    expect(
        page.get_by_role("cell", name="Cora Coordinator (coordinator@example.org)")
    ).to_be_visible()

    # The officer (with an authenticator app) reaches the dashboard on their next request.
    officer_secret = with_mfa(officer)
    officer_page = officer_visit.page
    sign_in(officer_visit, officer, officer_secret)
    officer_visit.goto("/branches/cardiff-libraries/")
    expect(officer_page.get_by_role("heading", level=1, name="Cardiff Libraries")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role(
            "button", name="Remove coordinator@example.org from Cardiff Libraries"
        ).click()
    assert not BranchOfficer.objects.exists()
    response = officer_page.goto(visit.base_url + "/branches/cardiff-libraries/")
    assert response.status == 404

    # Both role changes are in the site history.
    visit.goto("/admin/reports/site-history/")
    expect(page.get_by_text("Officer appointed").first).to_be_visible()
    expect(page.get_by_text("Officer role removed").first).to_be_visible()
