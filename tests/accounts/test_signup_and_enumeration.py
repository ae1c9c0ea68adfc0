"""Sign-up, verification and no account enumeration (AUTH-01, AUTH-03)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User

STRONG = "plum tractor seventeen lanterns"


def signup(client, email="new.rep@example.org", password=STRONG, **extra):
    data = {
        "display_name": "New Rep",
        "email": email,
        "password1": password,
        "password2": password,
        **extra,
    }
    return client.post("/accounts/signup/", data)


@pytest.mark.django_db
def test_signup_creates_unverified_user_and_sends_verification_email(client):
    response = signup(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new.rep@example.org")
    assert user.display_name == "New Rep"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.rep@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


@pytest.mark.django_db
def test_login_is_refused_until_email_is_verified(client):
    signup(client)
    client.logout()
    mail.outbox.clear()
    response = client.post("/accounts/login/", {"login": "new.rep@example.org", "password": STRONG})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_verification_link_verifies_email_and_then_login_works(client):
    signup(client)
    key = re.search(r"/accounts/confirm-email/([^/\s]+)/", mail.outbox[0].body).group(1)
    assert client.post(f"/accounts/confirm-email/{key}/").status_code == 302
    assert EmailAddress.objects.get(email="new.rep@example.org").verified
    response = client.post("/accounts/login/", {"login": "new.rep@example.org", "password": STRONG})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_signup_with_a_taken_email_looks_the_same_and_tells_the_owner(client, rep):
    response = signup(client, email=rep.email)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.filter(email=rep.email).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [rep.email]


@pytest.mark.django_db
def test_wrong_password_and_unknown_email_give_the_same_answer(client, rep):
    known = client.post("/accounts/login/", {"login": rep.email, "password": "wrong password!!"})
    unknown = client.post(
        "/accounts/login/", {"login": "nobody@example.org", "password": "wrong password!!"}
    )
    assert known.status_code == unknown.status_code == 200
    known_errors = known.context["form"].non_field_errors()
    unknown_errors = unknown.context["form"].non_field_errors()
    assert known_errors == unknown_errors
    assert known_errors


@pytest.mark.django_db
def test_password_reset_looks_the_same_for_known_and_unknown_email(client, rep):
    known = client.post("/accounts/password/reset/", {"email": rep.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/done/"
    # Only the real owner gets a reset link; the unknown address gets nothing
    # that could confirm or deny an account to whoever typed it.
    assert [m.to for m in mail.outbox if "password/reset/key" in m.body] == [[rep.email]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass1", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused_and_nothing_is_saved(client, password, message):
    response = signup(client, password=password)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors)
    assert not User.objects.exists()
    assert not mail.outbox


@pytest.mark.django_db
def test_long_passwords_are_accepted(client):
    long_password = "a long passphrase " * 10
    response = signup(client, password=long_password)
    assert response.status_code == 302
    assert User.objects.get().check_password(long_password)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["", "   ", "x" * 81, "bad\x00name", "tab\x07bell"])
def test_bad_display_names_are_refused_and_nothing_is_saved(client, name):
    response = signup(client, display_name=name)
    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.django_db
def test_hostile_display_name_is_stored_as_text_and_escaped(client):
    payload = '<script>alert("x")</script>'
    signup(client, display_name=payload)
    user = User.objects.get()
    assert user.display_name == payload
    client.force_login(user)
    html = client.get("/").content.decode()
    assert payload not in html
    assert "&lt;script&gt;" in html
