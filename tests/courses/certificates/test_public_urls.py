"""What certificates already issued depend on, pinned across the move of
certificates into courses/certificates/ (issue #14): the URLs printed on them
and published, the signatures made before the move, and the database
identity (table, content type) that the audit log and permissions point at."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import resolve, reverse

from courses.certificates import signing, views
from courses.models import Certificate

CODE = "3f1c0e5a9b7d4c2e8f6a1b3c5d7e9f01"
# Made with the test settings' signing key by courses/signing.py at 6ea391a,
# before certificates moved: the signed payload names no module or app label.
SIGNED_BEFORE_THE_MOVE = (
    "Bi5FC3Vi8aEXV69uWGHnPisLRDYh-chvkRFtY1cAaP0NP_KU_n_imFqtZR38GGrri0FGGuCe04xMTzpRhsyiAQ"
)


def certificate_from_before_the_move(**changes):
    facts = {
        "code": CODE,
        "holder_name": "Nour نور الهدى",
        "course_title": "Your data rights at work",
        "course_level": "Introductory",
        "hours": Decimal("1.5"),
        "issued_at": datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC),
        "expires_on": datetime.date(2099, 11, 20),
        "signature": SIGNED_BEFORE_THE_MOVE,
    }
    return Certificate(**{**facts, **changes})


@pytest.mark.parametrize(
    ("name", "args", "path", "view"),
    [
        ("my_certificates", [], "/certificates/", views.my_certificates),
        ("certificate_verify", [CODE], f"/certificates/verify/{CODE}/", views.certificate_verify),
        ("certificate_pdf", [CODE], f"/certificates/{CODE}/pdf/", views.certificate_pdf),
        (
            "certificate_show_name",
            [CODE],
            f"/certificates/{CODE}/show-name/",
            views.certificate_show_name,
        ),
        (
            "certificate_keys",
            [],
            "/.well-known/knowhow-certificates.json",
            views.certificate_keys,
        ),
    ],
)
def test_url_names_and_paths_are_unchanged(name, args, path, view):
    assert reverse(name, args=args) == path
    assert resolve(path).func is view


def test_a_signature_made_before_the_move_still_verifies():
    certificate = certificate_from_before_the_move()
    assert signing.verify(certificate)
    # …and only for the facts it was made over.
    assert not signing.verify(certificate_from_before_the_move(course_level="Advanced"))


@pytest.mark.django_db
def test_the_printed_verification_url_still_shows_a_valid_certificate(client):
    certificate_from_before_the_move().save()
    response = client.get(f"/certificates/verify/{CODE}/")
    assert response.status_code == 200
    assert response.context["state"] == "valid"
    assert response.context["certificate"].code == CODE
    assert "Your data rights at work" in response.content.decode()


@pytest.mark.django_db
def test_the_model_keeps_the_courses_table_and_content_type():
    assert Certificate._meta.app_label == "courses"
    assert Certificate._meta.db_table == "courses_certificate"
    content_type = ContentType.objects.get_for_model(Certificate)
    assert (content_type.app_label, content_type.model) == ("courses", "certificate")


def test_the_admin_keeps_its_urls():
    assert reverse("certificates_admin:list") == "/admin/certificates/"
    assert reverse("certificates_admin:revoke", args=[7]) == "/admin/certificates/7/revoke/"
