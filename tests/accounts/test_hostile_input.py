"""Hostile input to the account forms: a clear error or safe storage, never a 500."""

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User

XSS_CORPUS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<svg/onload=alert(1)>",
    '=HYPERLINK("http://evil.example")',
    "+cmd|' /C calc'!A0",
    "‮evil‬",
    "a\u200bb",
    "x" * 10_000,
    "\x00\x01\x1b[31m",
    "' OR 1=1 --",
    "𝕬𝖑𝖎𝖈𝖊 🧑🏽‍🏭",
]

hostile_text = st.one_of(st.sampled_from(XSS_CORPUS), st.text(max_size=300))
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
@FUZZ
@given(name=hostile_text, email=hostile_text, password=hostile_text)
def test_signup_never_errors_and_never_half_saves(client, name, email, password):
    cache.clear()  # each example is a fresh visitor, not a rate-limited one
    before = User.objects.count()
    response = client.post(
        "/accounts/signup/",
        {"display_name": name, "email": email, "password1": password, "password2": password},
    )
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert response.context["form"].errors
        assert User.objects.count() == before


@pytest.mark.django_db
@FUZZ
@given(login=hostile_text, password=hostile_text)
def test_login_never_errors(client, login, password):
    cache.clear()
    response = client.post("/accounts/login/", {"login": login, "password": password})
    assert response.status_code in {200, 302}
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@FUZZ
@given(email=hostile_text)
def test_password_reset_never_errors(client, email):
    cache.clear()
    response = client.post("/accounts/password/reset/", {"email": email})
    assert response.status_code in {200, 302}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["evil\u202etxt.exe", "left\u2066to\u2069right", "bell\x07"])
def test_direction_and_control_characters_are_refused_in_names(client, name):
    pw = "plum tractor seventeen lanterns"
    response = client.post(
        "/accounts/signup/",
        {"display_name": name, "email": "a@example.org", "password1": pw, "password2": pw},
    )
    assert "display_name" in response.context["form"].errors
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["Zoë Ó Súilleabháin", "Łukasz Wójcik", "মৌমিতা", "می‌خواهم", "Şükrü"]
)
def test_names_in_our_members_scripts_are_accepted(client, name):
    pw = "plum tractor seventeen lanterns"
    client.post(
        "/accounts/signup/",
        {"display_name": name, "email": "a@example.org", "password1": pw, "password2": pw},
    )
    assert User.objects.get().display_name == name
