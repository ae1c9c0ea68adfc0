"""Every way into the admin goes through allauth (AUTH-05)."""

import pytest


@pytest.mark.django_db
def test_anonymous_admin_visit_goes_to_allauth_sign_in(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_wagtail_login_page_redirects_to_allauth_keeping_next(client):
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


@pytest.mark.django_db
def test_posting_to_the_wagtail_login_never_signs_anyone_in(client, educator, password):
    response = client.post("/admin/login/", {"username": educator.email, "password": password})
    assert response.status_code in {302, 405}
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/admin/password_reset/", "/admin/password_reset/done/", "/admin/password_reset/x/y/"]
)
def test_wagtail_password_reset_goes_to_allauth(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/password/reset/")


@pytest.mark.django_db
def test_wagtail_logout_goes_through_allauth(client, rep):
    client.force_login(rep)
    response = client.get("/admin/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/logout/"


def test_django_admin_is_not_mounted(settings):
    assert "django.contrib.admin" not in settings.INSTALLED_APPS


def test_wagtail_password_and_email_forms_are_off(settings):
    assert settings.WAGTAIL_PASSWORD_MANAGEMENT_ENABLED is False
    assert settings.WAGTAIL_PASSWORD_RESET_ENABLED is False
    assert settings.WAGTAIL_EMAIL_MANAGEMENT_ENABLED is False
    assert settings.WAGTAILUSERS_PASSWORD_ENABLED is False


def test_only_allauth_backend_authenticates(settings):
    assert settings.AUTHENTICATION_BACKENDS == [
        "allauth.account.auth_backends.AuthenticationBackend"
    ]
