"""Session rotation and timeouts (SES-02)."""

import time

import pytest

from accounts.middleware import SESSION_SEEN, SESSION_STARTED


@pytest.mark.django_db
def test_session_key_changes_at_sign_in(client, rep, password):
    client.get("/accounts/login/")
    client.session.save()
    before = client.session.session_key
    client.post("/accounts/login/", {"login": rep.email, "password": password})
    assert client.session["_auth_user_id"] == str(rep.pk)
    assert client.session.session_key != before


def age_session(client, *, started_ago, seen_ago):
    session = client.session
    now = int(time.time())
    session[SESSION_STARTED] = now - started_ago
    session[SESSION_SEEN] = now - seen_ago
    session.save()


@pytest.mark.django_db
def test_idle_session_is_signed_out(client, rep, settings):
    client.force_login(rep)
    client.get("/accounts/email/")
    age_session(
        client,
        started_ago=settings.SESSION_IDLE_TIMEOUT + 10,
        seen_ago=settings.SESSION_IDLE_TIMEOUT + 5,
    )
    response = client.get("/accounts/email/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/accounts/email/"
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_active_session_past_the_absolute_limit_is_signed_out(client, rep, settings):
    client.force_login(rep)
    client.get("/accounts/email/")
    age_session(client, started_ago=settings.SESSION_ABSOLUTE_TIMEOUT + 5, seen_ago=30)
    response = client.get("/accounts/email/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_recent_activity_keeps_the_session(client, rep):
    client.force_login(rep)
    client.get("/accounts/email/")
    age_session(client, started_ago=3600, seen_ago=120)
    assert client.get("/accounts/email/").status_code == 200
    assert time.time() - client.session[SESSION_SEEN] < 5


@pytest.mark.django_db
def test_password_change_ends_other_sessions(client, rep, password):
    from django.test import Client

    other = Client()
    other.force_login(rep)
    assert other.get("/accounts/email/").status_code == 200
    client.post("/accounts/login/", {"login": rep.email, "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})
    new = "a brand new passphrase here"
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    assert other.get("/accounts/email/").status_code == 302


@pytest.mark.django_db
def test_deactivated_user_loses_their_session(client, rep):
    client.force_login(rep)
    assert client.get("/accounts/email/").status_code == 200
    rep.is_active = False
    rep.save()
    assert client.get("/accounts/email/").status_code == 302
