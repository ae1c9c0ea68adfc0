"""Fixtures every branch test shares: a branch and its officer."""

import pytest

from tests.factories.branches import make_branch, make_officer


@pytest.fixture
def branch(db):
    return make_branch("Leeds Health")


@pytest.fixture
def officer(branch):
    """The branch's officer, with an authenticator app (AUTH-04)."""
    return make_officer(branch)
