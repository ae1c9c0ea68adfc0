"""Region officers: totals per branch of their region, never names; small
numbers suppressed; anyone else gets 404; no admin access for officers (AC-04)."""

import pytest
from django.urls import reverse

from courses.services import enrolment_start, lesson_complete
from tests.factories.branches import (
    make_branch,
    make_member,
    make_officer,
    make_region,
    make_region_officer,
)
from tests.factories.courses import lessons_of, make_course

pytestmark = pytest.mark.django_db


def region_url(region):
    return reverse("branches:region", args=[region.slug])


def test_region_officer_sees_totals_without_names(client):
    region = make_region("North")
    big = make_branch("Big branch", region=region)
    small = make_branch("Small branch", region=region)
    course = make_course(modules=1, lessons=1)
    for n in range(6):
        user = make_member(big, display_name=f"Secret Name {n}").user
        if n < 3:
            enrolment_start(user=user, course=course)
            lesson_complete(user=user, lesson=lessons_of(course)[0])
    make_member(big, shares=False, display_name="Hidden Hal")
    make_member(small, display_name="Tiny Tim")
    officer = make_region_officer(region)
    client.force_login(officer)
    response = client.get(region_url(region))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secret Name" not in html and "Tiny Tim" not in html and "Hidden Hal" not in html
    figures = {row.branch.name: row for row in response.context["figures"]}
    assert (figures["Big branch"].members, figures["Big branch"].sharing) == (7, 6)
    assert figures["Big branch"].members_completed == 3
    assert figures["Big branch"].certificates == 3
    assert figures["Big branch"].completed_percent == 50
    assert figures["Small branch"].suppressed
    assert "Too few to show" in html
    assert "no-store" in response["Cache-Control"]


def test_other_regions_branches_are_not_listed_and_other_people_get_404(client):
    region, other = make_region(), make_region()
    make_branch("Ours", region=region)
    make_branch("Theirs", region=other)
    officer = make_region_officer(region)
    client.force_login(officer)
    names = {row.branch.name for row in client.get(region_url(region)).context["figures"]}
    assert names == {"Ours"}
    assert client.get(region_url(other)).status_code == 404
    branch_officer = make_officer(make_branch(region=region))
    client.force_login(branch_officer)
    assert client.get(region_url(region)).status_code == 404


def test_region_officer_is_not_a_branch_officer(client):
    region = make_region()
    branch = make_branch(region=region)
    make_member(branch)
    client.force_login(make_region_officer(region))
    assert client.get(reverse("branches:dashboard", args=[branch.slug])).status_code == 404


@pytest.mark.parametrize("role", ["branch", "region"])
def test_officers_have_no_admin_access(client, role):
    branch = make_branch()
    officer = make_officer(branch) if role == "branch" else make_region_officer(branch.region)
    client.force_login(officer)
    for path in ["/admin/", "/admin/branches/", "/admin/officers/", "/admin/reports/site-history/"]:
        response = client.get(path)
        # Sent to their dashboard (a sign-in page would send them straight back).
        assert response.status_code == 302, path
        assert response["Location"] == "/dashboard/", path
