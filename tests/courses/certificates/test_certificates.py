"""Certificates: issued once when the rule is met, signed, verified without outing anyone."""

import json
import re

import pytest
from django.core import mail
from django.db import transaction
from wagtail.models import ModelLogEntry

from background.models import OutgoingEmail
from courses.certificates import signing
from courses.certificates.services import certificate_revoke, certificate_set_show_name
from courses.models import Certificate, CoursePage
from courses.services import enrolment_start, lesson_complete
from tests.factories.courses import lessons_of, make_course

pytestmark = pytest.mark.django_db


def complete(user, course):
    enrolment_start(user=user, course=course)
    for lesson in lessons_of(course):
        lesson_complete(user=user, lesson=lesson)
    return Certificate.objects.get(user=user, course=course, current=True)


@pytest.fixture
def short_course():
    return make_course(title="Your data rights", modules=1, lessons=2)


def test_issued_when_the_last_lesson_is_completed_and_only_then(rep, short_course):
    enrolment_start(user=rep, course=short_course)
    first, second = lessons_of(short_course)
    lesson_complete(user=rep, lesson=first)
    assert not Certificate.objects.exists()
    lesson_complete(user=rep, lesson=second)
    lesson_complete(user=rep, lesson=second)
    certificate = Certificate.objects.get()
    assert certificate.holder_name == "Rita Rep"
    assert certificate.course_title == "Your data rights"
    assert certificate.course_level == "Introductory"
    assert certificate.expires_on is None
    assert re.fullmatch(r"[0-9a-f]{32}", certificate.code)
    assert ModelLogEntry.objects.filter(action="knowhow.certificate.issue").count() == 1


def test_codes_are_random_and_unrelated_to_the_person(rep, short_course):
    from courses.certificates.services import new_code

    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    certificate = complete(rep, short_course)
    assert rep.email.split("@")[0] not in certificate.code
    assert str(rep.pk) != certificate.code


def test_the_holder_is_emailed_a_link(rep, short_course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        complete(rep, short_course)
    assert len(mail.outbox) == 1
    assert "Your data rights" in mail.outbox[0].subject
    assert "/certificates/" in mail.outbox[0].body


def test_the_email_is_written_down_with_the_certificate_or_not_at_all(rep, short_course, settings):
    """The ledger row is part of the transaction that issues the certificate,
    not a callback after it: a database lost between the two cannot leave a
    certificate whose holder is never told (found by bench/faults.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    class Undone(Exception):
        pass

    def complete_then_fail():
        with transaction.atomic():
            complete(rep, short_course)
            # Before any commit: the email is already in the ledger.
            (email,) = OutgoingEmail.objects.all()
            assert email.recipient == rep.email
            assert email.subject == "[Knowhow] Your certificate for Your data rights"
            raise Undone

    with pytest.raises(Undone):
        complete_then_fail()
    assert not Certificate.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_copies_stand_on_their_own(rep, short_course):
    certificate = complete(rep, short_course)
    CoursePage.objects.filter(pk=short_course.pk).update(title="Renamed")
    rep.display_name = "New name"
    rep.save()
    certificate.refresh_from_db()
    assert certificate.course_title == "Your data rights"
    assert certificate.holder_name == "Rita Rep"
    assert signing.verify(certificate)


def test_courses_valid_for_months_give_an_expiry(rep):
    course = make_course(modules=1, lessons=1)
    CoursePage.objects.filter(pk=course.pk).update(valid_for_months=12)
    course.refresh_from_db()
    certificate = complete(rep, course)
    assert certificate.expires_on is not None
    assert (certificate.expires_on - certificate.issued_at.date()).days in range(365, 367)


def test_signature_covers_the_public_facts(rep, short_course):
    certificate = complete(rep, short_course)
    assert signing.verify(certificate)
    for field, value in [("course_title", "Another course"), ("holder_name", "Someone else")]:
        original = getattr(certificate, field)
        setattr(certificate, field, value)
        assert not signing.verify(certificate), field
        setattr(certificate, field, original)


def test_public_key_is_published_and_checks_the_signature(client, rep, short_course):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    certificate = complete(rep, short_course)
    keys = client.get("/.well-known/knowhow-certificates.json").json()
    raw = signing._unb64(keys["keys"][0]["public_key"])
    Ed25519PublicKey.from_public_bytes(raw).verify(
        signing._unb64(certificate.signature), signing.canonical_payload(certificate)
    )
    payload = json.loads(signing.canonical_payload(certificate))
    assert payload["holder"] == signing.holder_digest(code=certificate.code, holder_name="Rita Rep")
    assert "Rita" not in signing.canonical_payload(certificate).decode()


def verify_page(client, code):
    response = client.get(f"/certificates/verify/{code}/")
    return response, response.content.decode()


def test_verification_page_never_shows_the_name_unless_the_holder_chooses(
    client, rep, short_course
):
    certificate = complete(rep, short_course)
    response, html = verify_page(client, certificate.code)
    assert response.status_code == 200
    assert "This certificate is valid." in html
    assert "Your data rights" in html
    assert "Rita" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    certificate_set_show_name(certificate=certificate, user=rep, show=True)
    _, html = verify_page(client, certificate.code)
    assert "Rita Rep" in html


def test_unknown_malformed_and_revoked_codes_look_alike(client, rep, superuser, short_course):
    certificate = complete(rep, short_course)
    certificate_revoke(certificate=certificate, by=superuser, reason="Issued in error")
    pages = {
        "revoked": verify_page(client, certificate.code)[1],
        "unknown": verify_page(client, "0" * 32)[1],
        "malformed": verify_page(client, "zz<script>alert(1)")[1],
    }
    assert "has been revoked" in pages["revoked"]
    assert "cannot find" in pages["unknown"] and "cannot find" in pages["malformed"]
    for html in pages.values():
        assert "Your data rights" not in html
        assert "Rita" not in html
        assert "<script>alert(1)</script>" not in html

    def strip_status(html):
        return re.sub(r'<div class="kh-verify.*?</div>', "", html, flags=re.S)

    assert strip_status(pages["revoked"]).replace(certificate.code, "") == strip_status(
        pages["unknown"]
    ).replace("0" * 32, "")


def test_a_tampered_row_is_not_reported_valid(client, rep, short_course):
    certificate = complete(rep, short_course)
    Certificate.objects.filter(pk=certificate.pk).update(course_title="Advanced forgery")
    _, html = verify_page(client, certificate.code)
    assert "cannot find" in html
    assert "Advanced forgery" not in html


def test_verification_is_rate_limited_per_client(client, settings):
    settings.CERTIFICATE_VERIFY_RATE = "5/m"
    statuses = [client.get(f"/certificates/verify/{n:032x}/").status_code for n in range(7)]
    assert statuses == [200] * 5 + [429, 429]
    other = client.get("/certificates/verify/" + "a" * 32 + "/", REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200


def test_revocation_is_on_the_record(rep, superuser, short_course):
    certificate = complete(rep, short_course)
    with pytest.raises(ValueError, match="reason"):
        certificate_revoke(certificate=certificate, by=superuser, reason="   ")
    certificate_revoke(certificate=certificate, by=superuser, reason="Issued in error")
    entry = ModelLogEntry.objects.get(action="knowhow.certificate.revoke")
    assert entry.user_id == superuser.pk
    assert entry.data == {"reason": "Issued in error"}
    assert Certificate.objects.get().status == "revoked"


def test_only_the_holder_chooses_to_show_their_name(client, rep, short_course):
    from tests.factories import UserFactory

    certificate = complete(rep, short_course)
    stranger = UserFactory()
    with pytest.raises(PermissionError):
        certificate_set_show_name(certificate=certificate, user=stranger, show=True)
    client.force_login(stranger)
    response = client.post(f"/certificates/{certificate.code}/show-name/", {"show_name": "yes"})
    assert response.status_code == 404
    assert not Certificate.objects.get().show_name
    client.force_login(rep)
    client.post(f"/certificates/{certificate.code}/show-name/", {"show_name": "yes"})
    assert Certificate.objects.get().show_name


def test_my_certificates_page(client, rep, short_course):
    certificate = complete(rep, short_course)
    client.force_login(rep)
    html = client.get("/certificates/").content.decode()
    assert "Your data rights" in html
    assert f"/certificates/verify/{certificate.code}/" in html
    assert f"/certificates/{certificate.code}/pdf/" in html
    assert "Your certificates" in client.get("/dashboard/").content.decode()


def test_admins_list_and_revoke_with_a_reason(client, rep, superuser, short_course):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    certificate = complete(rep, short_course)
    TOTP.activate(superuser, generate_totp_secret())
    client.force_login(superuser)
    html = client.get(f"/admin/certificates/?course={short_course.pk}").content.decode()
    assert "Rita Rep" in html
    response = client.post(f"/admin/certificates/{certificate.pk}/revoke/", {"reason": ""})
    assert response.status_code == 200
    assert Certificate.objects.get().status == "valid"
    client.post(f"/admin/certificates/{certificate.pk}/revoke/", {"reason": "Duplicate record"})
    assert Certificate.objects.get().status == "revoked"


def test_educators_cannot_revoke(client, educator, rep, short_course):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    certificate = complete(rep, short_course)
    TOTP.activate(educator, generate_totp_secret())
    client.force_login(educator)
    assert client.get("/admin/certificates/").status_code in {302, 403}
    client.post(f"/admin/certificates/{certificate.pk}/revoke/", {"reason": "no"})
    assert Certificate.objects.get().status == "valid"


@pytest.mark.parametrize(
    "name", ["<script>alert(1)</script>", "W" * 80, "evil‮gnp.exe", "نور الهدى"]
)
def test_hostile_names_are_shown_safely(client, short_course, name):
    from tests.factories import UserFactory

    user = UserFactory(display_name=name)
    certificate = complete(user, short_course)
    certificate_set_show_name(certificate=certificate, user=user, show=True)
    _, html = verify_page(client, certificate.code)
    assert "<script>alert(1)</script>" not in html
    if name.startswith("<"):
        assert "&lt;script&gt;" in html


def test_an_expired_certificate_is_renewed_by_taking_the_course_again(client, rep):
    import datetime

    from assessments.models import Attempt
    from courses.models import LessonCompletion, LessonPage
    from courses.services import CannotRetake, course_retake
    from tests.factories.assessments import make_question, make_quiz, pass_quiz

    course = make_course(title="Health and safety refresher", modules=1, lessons=2)
    CoursePage.objects.filter(pk=course.pk).update(valid_for_months=12)
    course.refresh_from_db()
    first, second = lessons_of(course)
    quiz = make_quiz([make_question()], max_attempts=1)
    LessonPage.objects.filter(pk=second.pk).update(quiz=quiz)
    second.refresh_from_db()
    enrolment_start(user=rep, course=course)
    lesson_complete(user=rep, lesson=first)
    pass_quiz(user=rep, quiz=quiz)
    lesson_complete(user=rep, lesson=second)
    old = Certificate.objects.get()
    with pytest.raises(CannotRetake):
        course_retake(user=rep, course=course)  # still valid

    # A year later (the expiry date is signed, so sign the changed row again).
    old.expires_on = datetime.date(2020, 1, 1)
    old.signature = signing.sign(old)
    old.save()
    client.force_login(rep)
    html = client.get(course.url).content.decode()
    assert "Your certificate has expired" in html
    response = client.post(course.url + "retake/")
    assert response["Location"] == first.url
    assert not LessonCompletion.objects.filter(user=rep).exists()

    # The quiz starts afresh: the earlier pass and the used attempt do not count.
    lesson_complete(user=rep, lesson=first)
    from courses.services import QuizNotPassed

    with pytest.raises(QuizNotPassed):
        lesson_complete(user=rep, lesson=second)
    from courses.models import Enrolment

    pass_quiz(user=rep, quiz=quiz, since=Enrolment.objects.get(user=rep).started_at)
    assert Attempt.objects.filter(user=rep).count() == 2
    assert lesson_complete(user=rep, lesson=second).course_completed

    new = Certificate.objects.get(current=True)
    assert new.pk != old.pk
    assert new.public_status == "valid"
    old.refresh_from_db()
    assert old.current is False
    assert "has expired" in verify_page(client, old.code)[1]


def test_only_the_holder_and_administrators_download_the_pdf(client, rep, superuser, short_course):
    from tests.factories import UserFactory

    certificate = complete(rep, short_course)
    url = f"/certificates/{certificate.code}/pdf/"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get("/certificates/" + "0" * 32 + "/pdf/").status_code == 404
    client.force_login(rep)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(superuser, generate_totp_secret())
    client.force_login(superuser)
    assert client.get(url).status_code == 200
