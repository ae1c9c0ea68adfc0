"""Fixtures the assessments tests share."""

import pytest

from tests.factories import with_mfa


@pytest.fixture
def educator_client(client, educator):
    """A test client signed in as an educator with an authenticator app, as the
    admin requires (AUTH-04)."""
    with_mfa(educator)
    client.force_login(educator)
    return client
