"""Data requests handled by an administrator (issue #16): export or erase a
member by email, with a reason on the audit record; superusers only."""

import json

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import ModelLogEntry

from branches.models import Membership
from tests.factories import UserFactory, with_mfa
from tests.privacy.conftest import EMAIL, NEEDLES, OLD_EMAIL, find_anywhere

pytestmark = pytest.mark.django_db

URL = "/admin/data-requests/"
User = get_user_model()


@pytest.fixture
def admin_client(client, everything):
    with_mfa(everything.admin)
    client.force_login(everything.admin)
    return client


def test_an_administrator_downloads_a_member_s_data_on_the_record(admin_client, everything):
    response = admin_client.post(
        URL, {"email": OLD_EMAIL.upper(), "action": "export", "reason": "Letter of 3 May"}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = json.loads(b"".join(response.streaming_content))
    assert data["sections"]["account"]["records"][0]["email"] == EMAIL
    entry = ModelLogEntry.objects.filter(action="knowhow.account.export").latest("pk")
    assert entry.user == everything.admin
    assert entry.data == {"reason": "Letter of 3 May"}
    assert entry.object_id == str(everything.member.pk)


def test_an_administrator_erases_a_member_on_the_record(admin_client, everything):
    response = admin_client.post(
        URL, {"email": EMAIL, "action": "erase", "reason": "Phone call, identity checked"}
    )
    assert response.status_code == 302
    assert response["Location"] == URL
    assert not User.objects.filter(pk=everything.member.pk).exists()
    assert find_anywhere(NEEDLES) == {}
    entry = ModelLogEntry.objects.get(action="knowhow.account.erase")
    assert entry.user == everything.admin
    assert entry.data == {"reason": "Phone call, identity checked"}
    # The member's other device is signed out too.
    assert everything.clients[1].get("/accounts/data/").status_code == 302


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"email": "", "action": "erase", "reason": "x"}, "Enter the member&#x27;s email address."),
        ({"email": "nobody@example.org", "action": "erase", "reason": "x"}, "No account has this"),
        ({"email": "not an email", "action": "erase", "reason": "x"}, "Enter an email address"),
        ({"email": EMAIL, "action": "drop tables", "reason": "x"}, "Select a valid choice"),
        ({"email": EMAIL, "action": "", "reason": "x"}, "Choose what the member asked for."),
        ({"email": EMAIL, "action": "erase", "reason": "   "}, "Give the reason for this request."),
        ({"email": EMAIL, "action": "erase", "reason": "a\u202eb"}, "control characters"),
        ({"email": EMAIL, "action": "erase", "reason": "x" * 501}, "at most 500 characters"),
        ({"email": EMAIL, "action": "erase", "reason": "a\x00b"}, "Null characters"),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(admin_client, everything, form, error):
    response = admin_client.post(URL, form)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert User.objects.filter(pk=everything.member.pk).exists()
    assert Membership.objects.filter(user=everything.member).exists()
    assert not ModelLogEntry.objects.filter(action="knowhow.account.erase").exists()


def test_an_administrator_cannot_erase_themselves_here(admin_client, everything):
    response = admin_client.post(
        URL, {"email": everything.admin.email, "action": "erase", "reason": "Leaving"}
    )
    assert "use Delete your account" in response.content.decode()
    assert User.objects.filter(pk=everything.admin.pk).exists()


def test_only_superusers_may_use_it(client, everything, educator):
    with_mfa(educator)
    client.force_login(educator)
    # Wagtail answers a refused admin page with a redirect to the dashboard.
    response = client.get(URL)
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    response = client.post(URL, {"email": EMAIL, "action": "erase", "reason": "x"})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert User.objects.filter(pk=everything.member.pk).exists()


def test_a_superuser_without_two_factor_is_sent_to_set_it_up(client):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_the_page_is_listed_in_settings(admin_client):
    html = admin_client.get(URL).content.decode()
    assert "Data requests" in html
    assert 'name="reason"' in html
