"""GDPR-01: a consent wording, once published, never changes. A new wording is
a new version; this test fails if a published one is edited in place."""

import hashlib

import pytest
from django.urls import reverse

from branches import consent
from branches.consent import CURRENT_VERSION, MINIMUM_ACCEPTED_VERSION, WORDINGS
from tests.factories.branches import make_branch, make_member, make_officer

PUBLISHED = {
    1: "d0676db0070f53b7223a25355a388b7b86e91d7774a333c0ccffa6836a981f0f",
}


@pytest.mark.parametrize("version", sorted(WORDINGS))
def test_published_wordings_are_never_edited(version):
    wording = WORDINGS[version]
    assert wording.version == version
    digest = hashlib.sha256(repr(wording).encode()).hexdigest()
    assert PUBLISHED.get(version) == digest, (
        "Consent wording changed: add a new version instead of editing this one "
        "(and add its digest here)."
    )


def test_versions_are_consistent():
    assert max(WORDINGS) == CURRENT_VERSION
    assert 1 <= MINIMUM_ACCEPTED_VERSION <= CURRENT_VERSION


@pytest.mark.django_db
def test_consent_under_an_older_wording_stops_counting_when_the_minimum_rises(client, monkeypatch):
    branch = make_branch()
    officer = make_officer(branch)
    member = make_member(branch, display_name="Olwen Older")
    client.force_login(officer)
    url = reverse("branches:dashboard", args=[branch.slug])
    assert "Olwen Older" in client.get(url).content.decode()
    # As if a wording 2 that shares more had been published with the minimum raised.
    monkeypatch.setattr(consent, "MINIMUM_ACCEPTED_VERSION", 2)
    html = client.get(url).content.decode()
    assert "Olwen Older" not in html
    assert "1 member has not shared their progress" in html
    member.refresh_from_db()
    assert not member.is_sharing
    member_url = reverse("branches:member", args=[branch.slug, member.pk])
    assert client.get(member_url).status_code == 404
