"""Password reset, password change and email change through allauth."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

NEW = "fresh spring meadow lantern"


def link_in(message, path):
    match = re.search(rf"http://testserver({re.escape(path)}\S+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.mark.django_db
def test_password_reset_by_email_link(client, rep):
    client.post("/accounts/password/reset/", {"email": rep.email})
    url = link_in(mail.outbox[0], "/accounts/password/reset/key/")
    response = client.get(url)
    # allauth moves the key out of the URL before showing the form.
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.post(form_url, {"password1": NEW, "password2": NEW})
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.check_password(NEW)


@pytest.mark.django_db
def test_password_reset_refuses_a_weak_new_password(client, rep, password):
    client.post("/accounts/password/reset/", {"email": rep.email})
    form_url = client.get(link_in(mail.outbox[0], "/accounts/password/reset/key/"))["Location"]
    response = client.post(form_url, {"password1": "short", "password2": "short"})
    assert response.status_code == 200
    assert "at least 12 characters" in str(response.context["form"].errors)
    rep.refresh_from_db()
    assert rep.check_password(password)


@pytest.mark.django_db
def test_password_change_needs_the_old_password(client, rep, password):
    client.post("/accounts/login/", {"login": rep.email, "password": password})
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": "not it at all!", "password1": NEW, "password2": NEW},
    )
    assert response.status_code == 200
    assert "oldpassword" in response.context["form"].errors
    rep.refresh_from_db()
    assert rep.check_password(password)


@pytest.mark.django_db
def test_email_change_is_verified_before_it_takes_effect(client, rep, password):
    client.post("/accounts/login/", {"login": rep.email, "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.org"})
    assert response.status_code == 302
    rep.refresh_from_db()
    assert rep.email != "new@example.org"
    pending = EmailAddress.objects.get(email="new@example.org")
    assert not pending.verified
    key_url = link_in(mail.outbox[-1], "/accounts/confirm-email/")
    client.post(key_url)
    rep.refresh_from_db()
    assert rep.email == "new@example.org"
    assert list(EmailAddress.objects.filter(user=rep).values_list("email", flat=True)) == [
        "new@example.org"
    ]


@pytest.mark.django_db
def test_email_change_to_an_address_in_use_gives_nothing_away(client, rep, password):
    from tests.factories import UserFactory

    other = UserFactory(email="taken@example.org")
    client.post("/accounts/login/", {"login": rep.email, "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})
    mail.outbox.clear()
    response = client.post("/accounts/email/", {"action_add": "", "email": other.email})
    # The same answer as for a free address: a redirect and an email.
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    # Following the link cannot take the address from its owner.
    client.post(link_in(mail.outbox[0], "/accounts/confirm-email/"))
    rep.refresh_from_db()
    other.refresh_from_db()
    assert rep.email != other.email
    assert EmailAddress.objects.get(user=other).verified
    assert not EmailAddress.objects.filter(user=rep, email=other.email, verified=True).exists()
