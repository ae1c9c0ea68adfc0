"""Strict Content-Security-Policy and security headers (IO-03, DEP-01)."""

import re

import pytest

from tests.factories import with_mfa


def csp_directives(response):
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/no-such-page/"])
def test_public_pages_have_a_strict_csp(client, path):
    directives = csp_directives(client.get(path))
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    script = directives["script-src"]
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    for values in directives.values():
        for value in values:
            assert not re.match(r"https?:", value), f"third-party source {value}"


@pytest.mark.django_db
def test_admin_policy_relaxes_inline_only_and_names_no_third_party(client, educator):
    with_mfa(educator)
    client.force_login(educator)
    directives = csp_directives(client.get("/admin/"))
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-eval'" not in directives["script-src"]
    for values in directives.values():
        for value in values:
            assert not re.match(r"https?:", value), f"third-party source {value}"


@pytest.mark.django_db
def test_pages_reference_no_other_host(client):
    html = client.get("/").content.decode() + client.get("/accounts/login/").content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


@pytest.mark.django_db
def test_security_headers(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/courses/", "/no-such-page/", "/healthz"]
)
def test_permissions_policy_turns_off_what_the_site_does_not_use(client, path):
    policy = dict(
        item.strip().split("=", 1) for item in client.get(path)["Permissions-Policy"].split(",")
    )
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "autoplay"]:
        assert policy[feature] == "()", feature
    # Lesson videos may go full screen.
    assert "fullscreen" not in policy
