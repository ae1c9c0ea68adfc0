"""Delete my account (issue #16, GDPR-03): everything about the member goes
at once, in one transaction, and a scan of the whole database finds nothing
of them afterwards."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.cache import cache
from wagtail.models import ModelLogEntry

from accounts import services
from assessments.models import Attempt, AttemptQuestion
from assessments.selectors import quiz_item_analysis
from background.models import OutgoingEmail
from branches.models import ConsentRecord, Membership
from core import privacy
from courses import page_cache
from courses.certificates.models import WITHDRAWN_BY_HOLDER, Certificate
from tests.factories import PASSWORD
from tests.privacy.conftest import EMAIL, NEEDLES, TYPED, find_anywhere

pytestmark = pytest.mark.django_db

User = get_user_model()


def delete_account(client, password=PASSWORD):
    return client.post("/accounts/delete/", {"password": password})


def test_erasure_leaves_nothing_of_the_member_in_any_column(everything):
    before = find_anywhere(NEEDLES)
    # The scan can fail: before erasure it finds every needle.
    assert set(before) == set(NEEDLES), before

    response = delete_account(everything.clients[0])

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert find_anywhere(NEEDLES) == {}
    assert not User.objects.filter(pk=everything.member.pk).exists()


def test_no_row_of_any_model_still_points_at_the_member(everything):
    pk = everything.member.pk
    delete_account(everything.clients[0])
    linked = {}
    for model in apps.get_models():
        for field in model._meta.local_fields:
            if field.is_relation and field.related_model is User:
                count = model._default_manager.filter(**{field.attname: pk}).count()
                if count:
                    linked[f"{model._meta.label}.{field.name}"] = count
    assert linked == {}


def test_every_device_is_signed_out(everything):
    first, second = everything.clients
    assert second.get("/accounts/data/").status_code == 200
    delete_account(first)
    response = second.get("/accounts/data/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(everything.member.pk)
        for s in Session.objects.all()
    )


def test_the_page_cache_token_is_replaced(everything):
    key = page_cache._learner(everything.member.pk)
    cache.set(key, "before", None)
    delete_account(everything.clients[0])
    assert cache.get(key) not in (None, "before")


def test_certificate_is_withdrawn_and_the_public_page_names_nobody(everything, client):
    delete_account(everything.clients[0])
    certificate = Certificate.objects.get(code=everything.certificate_code)
    assert certificate.user is None
    assert certificate.status == "revoked"
    assert certificate.revoked_reason == WITHDRAWN_BY_HOLDER
    assert certificate.holder_name == ""
    response = client.get(f"/certificates/verify/{certificate.code}/")
    html = response.content.decode()
    assert "This certificate has been withdrawn by its holder." in html
    assert "Holder" not in html


def per_question(report):
    return [{k: v for k, v in q.items() if k != "question"} for q in report["questions"]]


def test_quiz_answers_are_anonymised_and_item_analysis_is_unchanged(everything):
    before = quiz_item_analysis(quiz=everything.quiz)
    delete_account(everything.clients[0])
    after = quiz_item_analysis(quiz=everything.quiz)
    assert (after["attempts"], after["pass_rate"], after["mean_percent"]) == (
        before["attempts"],
        before["pass_rate"],
        before["mean_percent"],
    )
    assert per_question(after) == per_question(before)
    attempt = Attempt.objects.get(quiz=everything.quiz)
    assert attempt.user is None
    assert AttemptQuestion.objects.get(attempt=attempt).response == {"text": ""}


def test_officers_audit_entries_keep_the_fact_but_not_the_member(everything):
    delete_account(everything.clients[0])
    views = ModelLogEntry.objects.filter(action="knowhow.branch.member_view")
    assert views.count() == 1
    view = views.get()
    assert view.user == everything.officer
    assert view.label == privacy.ERASED_LABEL
    assert view.data == {"branch": everything.branch_slug}
    export = ModelLogEntry.objects.get(action="knowhow.account.export")
    assert export.user == everything.admin
    assert export.label == privacy.ERASED_LABEL
    assert "reason" not in export.data
    erased = ModelLogEntry.objects.get(action="knowhow.account.erase")
    assert erased.user is None
    assert erased.data == {"by": "self"}
    # Nothing the member did is attributed to their old id any more.
    assert not ModelLogEntry.objects.filter(user_id=everything.member.pk).exists()


def test_a_wrong_or_missing_password_changes_nothing(everything):
    client = everything.clients[0]
    for password, message in [
        ("", "Enter your password."),
        ("not my password", "The password is not right."),
        ("\x00" * 10, "Null characters are not allowed."),
        ("x" * 5000, "Ensure this value has at most 4096 characters"),
    ]:
        response = delete_account(client, password)
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        assert "<title>Error: Delete your account" in html
    assert User.objects.filter(pk=everything.member.pk).exists()
    assert Membership.objects.filter(user=everything.member).exists()
    assert ConsentRecord.objects.filter(user=everything.member).count() == 3
    assert OutgoingEmail.objects.filter(recipient=EMAIL).exists()


def test_guessing_the_password_is_rate_limited(everything):
    client = everything.clients[0]
    for _ in range(10):
        assert "not right" in delete_account(client, "guess").content.decode()
    response = delete_account(client, PASSWORD)
    assert "Too many tries" in response.content.decode()
    assert User.objects.filter(pk=everything.member.pk).exists()


def test_erasure_is_all_or_nothing(everything, monkeypatch):
    """A provider that fails half-way leaves everything as it was."""
    failing = privacy.Provider(
        model="tests.Failing",
        section="failing",
        title="Failing",
        export=lambda subject: [],
        erase=lambda subject: 1 / 0,
        erasure=privacy.Erasure.DELETE,
        reason="A test provider that breaks.",
        order=500,
    )
    monkeypatch.setitem(privacy._providers, "tests.Failing", failing)
    with pytest.raises(ZeroDivisionError):
        services.account_erase(user=everything.member)
    assert set(find_anywhere(NEEDLES)) == set(NEEDLES)
    assert Attempt.objects.filter(user=everything.member).exists()
    assert ModelLogEntry.objects.filter(action="knowhow.account.erase").count() == 0
    assert TYPED in str(AttemptQuestion.objects.get().response)


def test_get_shows_the_form_and_erases_nothing(everything):
    response = everything.clients[0].get("/accounts/delete/")
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store") == 1
    assert User.objects.filter(pk=everything.member.pk).exists()


def test_a_tutor_who_erases_their_account_leaves_the_run_to_the_educators(everything, client):
    """The run the member tutors stays, with no tutor: others are booked on
    it, any educator can manage it, and its page says the tutor is to be
    confirmed. The run they applied for loses their application."""
    from courses.runs.models import CourseRun, RunApplication, RunAttendance

    tutored = CourseRun.objects.get(tutor=everything.member)
    taken = RunApplication.objects.get(user=everything.member).run
    assert RunAttendance.objects.filter(user=everything.member).exists()

    assert delete_account(everything.clients[0]).status_code == 302

    tutored.refresh_from_db()
    assert tutored.tutor is None
    assert not RunApplication.objects.filter(run=taken).exists()
    assert not RunAttendance.objects.filter(session__run=taken).exists()
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    page = client.get(f"/runs/{tutored.pk}/")
    assert page.status_code == 200
    assert "To be confirmed" in page.content.decode()
