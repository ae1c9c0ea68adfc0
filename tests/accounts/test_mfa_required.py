"""Staff and educators must set up MFA before any protected page (AUTH-04)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)

ACTIVATE_URL = "/accounts/2fa/totp/activate/"


def current_code(secret):
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/admin/", "/accounts/password/change/", "/admin/pages/"])
@pytest.mark.parametrize("role", ["educator", "reviewer", "superuser"])
def test_people_who_need_mfa_are_sent_to_set_it_up(client, request, role, path):
    client.force_login(request.getfixturevalue(role))
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE_URL


def sign_in_and_confirm_password(client, user, password):
    # allauth asks for the password again before MFA can be set up.
    client.post("/accounts/login/", {"login": user.email, "password": password})
    response = client.post("/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302


@pytest.mark.django_db
def test_mfa_setup_page_and_sign_out_stay_reachable(client, educator, password):
    sign_in_and_confirm_password(client, educator, password)
    assert client.get(ACTIVATE_URL).status_code == 200
    assert client.get("/accounts/logout/").status_code == 200


@pytest.mark.django_db
def test_reps_are_not_asked_for_mfa(client, rep):
    client.force_login(rep)
    assert client.get("/").status_code == 200
    assert client.get("/accounts/email/").status_code == 200


@pytest.mark.django_db
def test_educator_with_totp_reaches_the_admin(client, educator):
    TOTP.activate(educator, generate_totp_secret())
    client.force_login(educator)
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_sign_in_with_totp_asks_for_a_code_and_refuses_a_replayed_one(client, educator, password):
    secret = generate_totp_secret()
    TOTP.activate(educator, secret)
    response = client.post("/accounts/login/", {"login": educator.email, "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session

    code = current_code(secret)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(educator.pk)

    # The same code, moments later in another session, is refused (replay).
    client.logout()
    client.post("/accounts/login/", {"login": educator.email, "password": password})
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_activating_totp_through_the_form_creates_recovery_codes(client, educator, password):
    sign_in_and_confirm_password(client, educator, password)
    client.get(ACTIVATE_URL)
    secret = client.session["mfa.totp.secret"]
    response = client.post(ACTIVATE_URL, {"code": current_code(secret)})
    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=educator).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_email_pages_stay_reachable_so_a_pending_address_cannot_block_mfa(client, educator):
    client.force_login(educator)
    assert client.get("/accounts/email/").status_code == 200
    assert client.get("/accounts/confirm-email/").status_code in {200, 302}
    assert client.get("/accounts/confirm-email/").get("Location") != ACTIVATE_URL
