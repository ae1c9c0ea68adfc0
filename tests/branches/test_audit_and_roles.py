"""LOG-01: branch actions in the Wagtail admin's site history; the superuser-only
Officers page appoints and removes officers, logged, effective on the next
request (AC-03)."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from branches.models import BranchOfficer, RegionOfficer
from tests.factories import UserFactory, with_mfa
from tests.factories.branches import (
    make_branch,
    make_member,
    make_officer,
    make_region,
    make_region_officer,
)

pytestmark = pytest.mark.django_db

OFFICERS = "/admin/officers/"
SITE_HISTORY = "/admin/reports/site-history/"


@pytest.fixture
def admin_client(client, superuser):
    with_mfa(superuser)
    client.force_login(superuser)
    return client


def remove_url(kind, pk):
    return f"/admin/officers/{kind}/{pk}/remove/"


def test_branch_actions_appear_in_the_site_history(client, superuser, branch):
    officer = make_officer(branch, UserFactory(display_name="Olu Officer"))
    membership = make_member(branch, display_name="Sharon Shares")
    client.force_login(officer)
    assert client.get(reverse("branches:export_csv", args=[branch.slug])).status_code == 200
    assert client.get(reverse("branches:member", args=[branch.slug, membership.pk])).status_code
    client.force_login(membership.user)
    client.post(reverse("branches:privacy"), {"membership": membership.pk, "share_progress": "no"})

    with_mfa(superuser)
    client.force_login(superuser)
    response = client.get(SITE_HISTORY)
    assert response.status_code == 200
    page = response.content.decode()
    for message in [
        "Officer downloaded the member table",
        "Officer viewed a member&#x27;s record",
        "Joined the branch",
        "Agreed to share progress with the branch",
        "Stopped sharing progress",
    ]:
        assert message in page, message
    assert "Olu Officer" in page  # who did it
    # Filtering by action works too, so an administrator can list every export.
    response = client.get(SITE_HISTORY, {"action": "knowhow.branch.export"})
    page = response.content.decode()
    assert "Officer downloaded the member table" in page
    assert "Stopped sharing progress" not in page


def test_log_entries_hold_who_when_and_what_but_no_learner_text(client, branch):
    officer = make_officer(branch)
    membership = make_member(branch, display_name="Sharon Shares")
    client.force_login(officer)
    client.get(reverse("branches:export_xlsx", args=[branch.slug]) + "?name=Sharon")
    client.get(reverse("branches:member", args=[branch.slug, membership.pk]))
    client.post(reverse("branches:invite", args=[branch.slug]), {"emails": "x@example.org"})
    for entry in ModelLogEntry.objects.filter(action__startswith="knowhow."):
        assert entry.timestamp is not None
        assert entry.user_id is not None
        assert entry.object_id
        assert "x@example.org" not in str(entry.data)
        if entry.action != "knowhow.branch.export":
            assert "Sharon" not in str(entry.data)
    export = ModelLogEntry.objects.get(action="knowhow.branch.export")
    assert (export.user, export.data) == (
        officer,
        {"format": "xlsx", "filters": {"name": "Sharon"}},
    )
    view = ModelLogEntry.objects.get(action="knowhow.branch.member_view")
    assert (view.user, view.object_id) == (officer, str(membership.pk))


def test_the_officers_page_appoints_a_branch_officer_by_email(admin_client, superuser, branch):
    person = UserFactory(email="New.Officer@Example.org")
    response = admin_client.get(OFFICERS)
    assert response.status_code == 200
    response = admin_client.post(
        OFFICERS, {"email": "new.officer@example.org", "branch": branch.pk}
    )
    assert response.status_code == 302
    role = BranchOfficer.objects.get()
    assert (role.user, role.branch) == (person, branch)
    entry = ModelLogEntry.objects.get(action="knowhow.role.appoint")
    assert entry.user == superuser
    assert entry.object_id == str(role.pk)
    assert entry.data == {"branch": branch.slug}
    page = admin_client.get(OFFICERS).content.decode()
    assert "New.Officer@Example.org" in page


def test_the_officers_page_appoints_a_region_officer(admin_client, superuser):
    region = make_region("Yorkshire")
    person = UserFactory()
    response = admin_client.post(OFFICERS, {"email": person.email, "region": region.pk})
    assert response.status_code == 302
    role = RegionOfficer.objects.get()
    assert (role.user, role.region) == (person, region)
    assert ModelLogEntry.objects.get(action="knowhow.role.appoint").data == {"region": region.slug}


@pytest.mark.parametrize(
    "data",
    [
        {"email": "nobody@example.org", "branch": "BRANCH"},
        {"email": "inactive@example.org", "branch": "BRANCH"},
        {"email": "member@example.org"},  # neither a branch nor a region
        {"email": "member@example.org", "branch": "BRANCH", "region": "REGION"},
        {"email": "not an email", "branch": "BRANCH"},
        {"email": "member@example.org\x00", "branch": "BRANCH"},
        {"email": "member@example.org", "branch": "999999"},
        {"email": "<script>alert(1)</script>", "branch": "BRANCH"},
    ],
)
def test_a_bad_appointment_is_an_error_and_writes_nothing(admin_client, branch, data):
    UserFactory(email="member@example.org")
    UserFactory(email="inactive@example.org", is_active=False)
    values = {"BRANCH": str(branch.pk), "REGION": str(branch.region.pk)}
    data = {key: values.get(value, value) for key, value in data.items()}
    response = admin_client.post(OFFICERS, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not BranchOfficer.objects.exists()
    assert not RegionOfficer.objects.exists()
    assert not ModelLogEntry.objects.filter(action="knowhow.role.appoint").exists()


def test_removing_a_role_is_logged_and_applies_on_the_next_request(
    client, admin_client, superuser, branch
):
    from django.test import Client

    officer = make_officer(branch)
    make_member(branch)
    region_officer = make_region_officer(branch.region)
    officer_client, region_client = Client(), Client()
    officer_client.force_login(officer)
    region_client.force_login(region_officer)
    dashboard = reverse("branches:dashboard", args=[branch.slug])
    region_page = reverse("branches:region", args=[branch.region.slug])
    assert officer_client.get(dashboard).status_code == 200
    assert region_client.get(region_page).status_code == 200

    role = BranchOfficer.objects.get(user=officer)
    response = admin_client.post(remove_url("branch", role.pk))
    assert response.status_code == 302
    assert not BranchOfficer.objects.filter(pk=role.pk).exists()
    entry = ModelLogEntry.objects.get(action="knowhow.role.remove")
    assert (entry.user, entry.object_id) == (superuser, str(role.pk))
    # The same session, the very next request.
    assert officer_client.get(dashboard).status_code == 404
    assert officer_client.get(reverse("branches:export_csv", args=[branch.slug])).status_code == 404

    region_role = RegionOfficer.objects.get(user=region_officer)
    assert admin_client.post(remove_url("region", region_role.pk)).status_code == 302
    assert not RegionOfficer.objects.exists()
    assert ModelLogEntry.objects.filter(action="knowhow.role.remove").count() == 2
    assert region_client.get(region_page).status_code == 404


def test_removal_needs_a_post(admin_client, branch):
    officer = make_officer(branch)
    role = BranchOfficer.objects.get(user=officer)
    assert admin_client.get(remove_url("branch", role.pk)).status_code == 405
    assert BranchOfficer.objects.filter(pk=role.pk).exists()
    assert admin_client.post(remove_url("branch", 999999)).status_code == 404


@pytest.mark.parametrize("who", ["educator", "officer", "rep"])
def test_only_superusers_can_reach_the_officers_page(client, branch, educator, who):
    target = make_officer(branch)
    role = BranchOfficer.objects.get(user=target)
    person = UserFactory(email="someone@example.org")
    if who == "educator":
        user = educator
        with_mfa(user)
    elif who == "officer":
        user = make_officer(make_branch())
    else:
        user = make_member(branch).user
    client.force_login(user)
    assert client.get(OFFICERS).status_code in (302, 403)
    response = client.post(OFFICERS, {"email": person.email, "branch": branch.pk})
    assert response.status_code in (302, 403)
    response = client.post(remove_url("branch", role.pk))
    assert response.status_code in (302, 403)
    assert list(BranchOfficer.objects.values_list("user_id", flat=True).order_by("pk")) == [
        target.pk,
        *([user.pk] if who == "officer" else []),
    ]
    assert not ModelLogEntry.objects.filter(action__startswith="knowhow.role.").exists()


def test_an_educator_with_admin_access_is_turned_back_to_the_admin_home(client, educator):
    with_mfa(educator)
    client.force_login(educator)
    assert client.get("/admin/").status_code == 200  # they do reach the admin
    response = client.get(OFFICERS)
    # Wagtail turns PermissionDenied into a redirect with a message.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    follow = client.get(OFFICERS, follow=True).content.decode()
    assert "Appoint an officer" not in follow
    assert "Sorry, you do not have permission to access this area." in follow
