import pytest
from django.core.cache import cache

from tests.factories import PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _queued_email(settings):
    # Django's test runner swaps EMAIL_BACKEND for locmem; put the site's own
    # back so every email in every test goes through the outgoing-email ledger
    # (and on to mail.outbox through EMAIL_DELIVERY_BACKEND).
    settings.EMAIL_BACKEND = "background.mail.QueuedEmailBackend"


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and used TOTP codes live in the cache; every test starts clean.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def rep(db):
    return UserFactory(display_name="Rita Rep")


@pytest.fixture
def educator(db):
    return UserFactory(display_name="Ed Educator", groups=["Educators"])


@pytest.fixture
def reviewer(db):
    return UserFactory(display_name="Rae Reviewer", groups=["Reviewers"])


@pytest.fixture
def superuser(db):
    return UserFactory(display_name="Ada Admin", is_superuser=True, is_staff=True)
