"""The officer dashboard: sharing members only, filters, charts, constant queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import BranchOfficer
from branches.services import consent_set
from tests.factories.branches import make_branch, make_member, make_officer
from tests.factories.courses import complete, make_course

pytestmark = pytest.mark.django_db


def dashboard_url(branch, **params):
    url = reverse("branches:dashboard", args=[branch.slug])
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def test_officer_sees_sharing_members_and_only_a_count_of_the_rest(client, branch, officer):
    make_member(branch, display_name="Sharon Shares")
    make_member(branch, display_name="Nadia Nope", shares=False)
    make_member(branch, display_name="Nigel Nope", shares=False)
    client.force_login(officer)
    response = client.get(dashboard_url(branch))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sharon Shares" in html
    assert "Nadia" not in html and "Nigel" not in html
    assert "2 members have not shared their progress" in html
    assert response["Cache-Control"].count("no-store") == 1


def test_member_figures_and_chart(client, branch, officer):
    course = make_course(title="Your data rights", modules=1, lessons=2)
    other = make_course(title="Spotting algorithms", modules=1, lessons=2)
    done = make_member(branch, display_name="Dana Done").user
    part = make_member(branch, display_name="Pat Part").user
    complete(done, course)
    complete(part, course, n=1)
    complete(part, other, n=1)
    client.force_login(officer)
    response = client.get(dashboard_url(branch, sort="name"))
    rows = {row.user.display_name: row for row in response.context["page_obj"].object_list}
    assert (rows["Dana Done"].completed, rows["Dana Done"].in_progress) == (1, 0)
    assert (rows["Dana Done"].certificates, rows["Pat Part"].in_progress) == (1, 2)
    bars = {bar.title: bar for bar in response.context["course_bars"]}
    assert (bars["Your data rights"].completed, bars["Your data rights"].in_progress) == (1, 1)
    assert bars["Your data rights"].completed_percent == 50
    assert bars["Spotting algorithms"].completed == 0
    months = response.context["months"]
    assert months[-1].lessons == 4 and months[-1].courses == 1
    assert "1 (50%)" in response.content.decode()


def test_filters_by_course_and_status(client, branch, officer):
    course = make_course(modules=1, lessons=2)
    finished = make_member(branch, display_name="Finn").user
    started = make_member(branch, display_name="Stan").user
    make_member(branch, display_name="Noor")
    complete(finished, course)
    complete(started, course, n=1)
    client.force_login(officer)

    def names(**params):
        response = client.get(dashboard_url(branch, **params))
        return {row.user.display_name for row in response.context["page_obj"].object_list}

    assert names(course=course.pk, status="completed") == {"Finn"}
    assert names(course=course.pk, status="in_progress") == {"Stan"}
    assert names(course=course.pk, status="not_started") == {"Noor"}
    assert names(course=course.pk) == {"Finn", "Stan"}
    assert names(level="advanced") == set()
    assert names(name="fin") == {"Finn"}
    # Unknown values are ignored rather than failing.
    assert names(course="999999", status="bogus", sort="x; DROP") == {"Finn", "Stan", "Noor"}


def test_withdrawal_applies_on_the_next_request(client, branch, officer):
    membership = make_member(branch, display_name="Wendy Withdraws")
    client.force_login(officer)
    assert "Wendy" in client.get(dashboard_url(branch)).content.decode()
    consent_set(membership=membership, shares_progress=False)
    html = client.get(dashboard_url(branch)).content.decode()
    assert "Wendy" not in html
    assert "1 member has not shared their progress" in html


@pytest.mark.parametrize("who", ["stranger", "member", "other_officer", "anonymous"])
def test_anyone_but_the_branchs_officer_gets_404(client, branch, officer, who):
    make_member(branch)
    if who == "anonymous":
        response = client.get(dashboard_url(branch))
        assert response.status_code == 302
        return
    if who == "stranger":
        user = make_member(make_branch()).user
    elif who == "member":
        user = make_member(branch).user
    else:
        user = make_officer(make_branch())
    client.force_login(user)
    assert client.get(dashboard_url(branch)).status_code == 404


def test_removing_the_role_takes_effect_on_the_next_request(client, branch, officer):
    client.force_login(officer)
    assert client.get(dashboard_url(branch)).status_code == 200
    BranchOfficer.objects.filter(user=officer).delete()
    assert client.get(dashboard_url(branch)).status_code == 404


def test_officers_must_set_up_mfa_first(client, branch):
    officer = make_officer(branch, mfa=False)
    client.force_login(officer)
    response = client.get(dashboard_url(branch))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_members_or_courses(client, branch, officer):
    client.force_login(officer)
    first = make_course(modules=1, lessons=2)
    complete(make_member(branch).user, first, n=1)
    _queries(client, dashboard_url(branch))  # warm caches (site, session)
    small = _queries(client, dashboard_url(branch))
    courses = [make_course(modules=2, lessons=3) for _ in range(3)]
    for _ in range(12):
        user = make_member(branch).user
        for course in courses:
            complete(user, course, n=2)
    make_member(branch, shares=False)
    large = _queries(client, dashboard_url(branch))
    assert large == small <= 14
    filtered = _queries(client, dashboard_url(branch, course=first.pk, status="in_progress"))
    assert filtered == small


@pytest.mark.parametrize("name", ["invite", "recommend", "notices"])
def test_an_empty_post_shows_errors_and_writes_nothing(client, branch, officer, name):
    from branches.models import Notice, Recommendation

    client.force_login(officer)
    response = client.post(reverse(f"branches:{name}", args=[branch.slug]), {})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert response.context["form"].errors
    assert not Notice.objects.exists() and not Recommendation.objects.exists()
