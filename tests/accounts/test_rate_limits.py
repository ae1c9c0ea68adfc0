"""Sign-in and reset rate limits (AUTH-02)."""

import pytest

TOO_MANY = "Too many failed login attempts"


def failed_login(client, email, ip="10.0.0.1", forwarded_for=None):
    headers = {"REMOTE_ADDR": ip}
    if forwarded_for:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(
        "/accounts/login/", {"login": email, "password": "not the password"}, **headers
    )


@pytest.mark.django_db
def test_failed_logins_for_one_account_are_limited(client, rep):
    responses = [failed_login(client, rep.email, ip=f"10.0.0.{i}") for i in range(6)]
    assert [r.status_code for r in responses] == [200] * 6
    assert not any(TOO_MANY in str(r.context["form"].errors) for r in responses[:5])
    assert TOO_MANY in str(responses[5].context["form"].errors)


@pytest.mark.django_db
def test_limit_holds_even_with_the_right_password_once_tripped(client, rep, password):
    for _ in range(5):
        failed_login(client, rep.email)
    response = client.post("/accounts/login/", {"login": rep.email, "password": password})
    assert TOO_MANY in str(response.context["form"].errors)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_x_forwarded_for_cannot_dodge_the_per_address_limit(client, django_user_model):
    # Ten different accounts from one address, each request claiming to come
    # from a new address: the header is ignored, so the address limit bites.
    responses = [
        failed_login(client, f"user{i}@example.org", forwarded_for=f"203.0.113.{i}")
        for i in range(11)
    ]
    assert not any(TOO_MANY in str(r.context["form"].errors) for r in responses[:10])
    assert TOO_MANY in str(responses[10].context["form"].errors)


@pytest.mark.django_db
def test_password_reset_requests_are_limited_per_email(client, rep):
    statuses = [
        client.post("/accounts/password/reset/", {"email": rep.email}).status_code for _ in range(6)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429


@pytest.mark.django_db
def test_limits_live_in_the_shared_database_cache(client, rep, settings):
    # Production's default cache is a database table, which every worker
    # process shares; prove the limit is counted there and nowhere else.
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "knowhow_cache_test",
        }
    }
    call_command("createcachetable")
    try:
        responses = [failed_login(client, rep.email, ip=f"10.0.1.{i}") for i in range(6)]
        assert TOO_MANY in str(responses[5].context["form"].errors)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM knowhow_cache_test")
            assert cursor.fetchone()[0] > 0
    finally:
        caches["default"].clear()
