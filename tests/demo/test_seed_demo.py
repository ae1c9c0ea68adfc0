import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import User
from demo.walkthrough import DEMO_PASSWORD


@pytest.mark.django_db
def test_seed_demo_creates_four_roles_idempotently(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    users = {u.email: u for u in User.objects.all()}
    assert {
        "rep@example.org",
        "educator@example.org",
        "reviewer@example.org",
        "admin@example.org",
    } <= set(users)
    # The rep and everyone else belong to the demo branch
    # (tests/demo/test_seed_demo_branch.py); the educator, reviewer, administrator
    # and region officer do not.
    assert User.objects.filter(branch_memberships__isnull=True).count() == 4
    assert users["admin@example.org"].is_superuser
    assert not users["rep@example.org"].groups.exists()
    assert list(users["educator@example.org"].groups.values_list("name", flat=True)) == [
        "Educators"
    ]
    assert list(users["reviewer@example.org"].groups.values_list("name", flat=True)) == [
        "Reviewers"
    ]
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == len(users)
    assert DEMO_PASSWORD in capsys.readouterr().out


@pytest.mark.django_db
def test_seed_demo_refuses_production_settings(settings):
    settings.KNOWHOW_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_gives_the_demo_rep_a_certificate_and_two_courses_in_progress():
    from courses.catalogue import catalogue_load
    from courses.models import Enrolment

    catalogue_load()
    call_command("seed_demo")
    call_command("seed_demo")
    rep = User.objects.get(email="rep@example.org")
    enrolments = {e.course.slug: e for e in Enrolment.objects.filter(user=rep)}
    assert set(enrolments) == {
        "data-rights-introductory",
        "algorithms-ai-introductory",
        "procurement-introductory",
    }
    assert enrolments["data-rights-introductory"].completed_at is not None
    assert enrolments["algorithms-ai-introductory"].completed_at is None
    assert enrolments["procurement-introductory"].completed_at is None
    from courses.models import Certificate

    assert Certificate.objects.filter(user=rep).count() == 1
