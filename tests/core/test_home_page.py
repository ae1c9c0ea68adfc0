import pytest
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase

from core.models import HomePage


@pytest.mark.django_db
def test_migration_makes_home_page_the_site_root():
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert "union" in home.lead.lower()
    # Wagtail's placeholder "Welcome" page is gone.
    assert not Page.objects.filter(title__icontains="Welcome to your new Wagtail site").exists()


@pytest.mark.django_db
def test_home_page_says_what_knowhow_is_for_anonymous_visitors(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html
    assert "Who it is for" in html
    assert "Create an account" in html
    assert 'href="#main-content"' in html


@pytest.mark.django_db
def test_home_page_greets_signed_in_user(client, rep):
    client.force_login(rep)
    html = client.get("/").content.decode()
    assert "Signed in as Rita Rep" in html
    assert "Sign out" in html


class TestHomePageTree(WagtailPageTestCase):
    def test_home_page_sits_only_under_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_only_one_home_page(self):
        assert HomePage.max_count == 1


@pytest.mark.django_db
def test_unknown_page_gives_designed_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "kh-header" in html


def test_server_error_page_renders_in_the_design_without_context(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "kh-header" in html
    assert "Sorry" in html or "problem" in html.lower()
