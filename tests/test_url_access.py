"""AC-01: every route is on the public list below or needs a signed-in user.

LoginRequiredMiddleware makes every view private unless it is marked
login_not_required. This test walks the URL resolver so that a new public
route fails until someone adds it here on purpose, and it requests every
private route anonymously to prove the sign-in wall holds.
"""

import re

import pytest
from django.urls import resolve

from tests.urlwalk import is_public, iter_routes

PUBLIC_ROUTES = {
    # Health check for load balancers.
    "healthz",
    # Redirects to allauth's sign-in and reset pages (AUTH-05).
    "admin/login/",
    "^admin/password_reset/",
    "_util/login/",
    # allauth: signing in, signing up, verifying and resetting.
    "accounts/login/",
    "accounts/logout/",
    "accounts/inactive/",
    "accounts/signup/",
    "accounts/confirm-email/",
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$",
    "accounts/password/reset/",
    "accounts/password/reset/done/",
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
    "accounts/password/reset/key/done/",
    "accounts/login/code/confirm/",
    "accounts/2fa/authenticate/",
    # Site search over published courses and lessons.
    "search/",
    # Public certificate checks and the key that signs certificates.
    "certificates/verify/<str:code>/",
    ".well-known/knowhow-certificates.json",
    # Employers check a time-off letter or certificate of attendance (issue #17).
    "runs/verify/<str:code>/",
    # Wagtail pages: public unless a page says otherwise in its own serve().
    "^((?:[\\w\\-]+/)*)$",
}

# Wagtail's admin API views are Django REST framework views, which opt out
# of LoginRequiredMiddleware and check admin access themselves.
ADMIN_API_PREFIX = "admin/api/main/"

SAMPLE_VALUES = {"int": "1", "str": "x", "slug": "x", "path": "x/y", "uuid": "0" * 32}


def concrete_url(pattern):
    """A URL for a path()-style pattern, or None for regex patterns."""
    if "^" in pattern or "(?" in pattern:
        return None

    def sample(match):
        converter = match.group(1) or "str"
        return SAMPLE_VALUES.get(converter, "x")

    return "/" + re.sub(r"<(?:(\w+):)?\w+>", sample, pattern)


ROUTES = list(iter_routes())


def test_every_public_route_is_on_the_public_list():
    public = {pattern for pattern, view in ROUTES if is_public(view)}
    unexpected = {p for p in public - PUBLIC_ROUTES if not p.startswith(ADMIN_API_PREFIX)}
    assert not unexpected, (
        f"Classify these routes in PUBLIC_ROUTES or make them private: {unexpected}"
    )
    assert not PUBLIC_ROUTES - public, "Listed as public but no longer public"


def private_urls():
    # A route can be shadowed by an earlier one (ours in front of Wagtail's
    # admin login and password reset), so test what the URL resolves to.
    urls = {url for pattern, _ in ROUTES if (url := concrete_url(pattern)) is not None}
    return sorted(url for url in urls if not is_public(resolve(url).func))


@pytest.mark.django_db
def test_private_routes_send_anonymous_visitors_to_sign_in(client):
    urls = private_urls()
    assert len(urls) > 100  # the walk found the admin, accounts and documents
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


@pytest.mark.django_db
def test_admin_api_refuses_anonymous_visitors(client):
    api_urls = [
        url
        for pattern, _ in ROUTES
        if pattern.startswith(ADMIN_API_PREFIX)
        for url in [("/" + pattern.replace("^", "")).replace("<int:pk>", "1")]
        if "<" not in url
    ]
    assert api_urls
    for url in api_urls:
        assert client.get(url).status_code in {302, 401, 403}, url


@pytest.mark.django_db
def test_admin_api_refuses_signed_in_reps(client, rep):
    client.force_login(rep)
    assert client.get("/admin/api/main/pages/").status_code in {302, 401, 403}
