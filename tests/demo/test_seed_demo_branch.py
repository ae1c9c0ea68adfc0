"""The demo branch that `make run` loads (issue #7): an officer and ~30 members
whose progress and consent vary, so the officer dashboard has something to show."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from branches.models import Branch, BranchOfficer, Membership, Notice, RegionOfficer
from courses.catalogue import catalogue_load
from courses.models import Certificate, Enrolment
from tests.factories.branches import with_mfa

pytestmark = pytest.mark.django_db


def test_demo_branch_has_an_officer_and_thirty_members_with_varied_choices(client):
    catalogue_load()
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    branch = Branch.objects.get(slug="northshire-health")
    officer = User.objects.get(email="officer@example.org")
    assert BranchOfficer.objects.filter(branch=branch, user=officer).exists()
    assert RegionOfficer.objects.filter(user__email="region@example.org").exists()
    members = Membership.objects.filter(branch=branch)
    assert 30 <= members.count() <= 34
    sharing = members.sharing().count()
    assert 15 <= sharing < members.count()  # some share, some do not
    sharing_users = members.sharing().values("user_id")
    completed = Enrolment.objects.filter(user__in=sharing_users, completed_at__isnull=False)
    in_progress = Enrolment.objects.filter(user__in=sharing_users, completed_at__isnull=True)
    assert completed.count() >= 5 and in_progress.count() >= 5
    # Activity is spread over the past year for the chart over time.
    months = {
        e.started_at.strftime("%Y-%m") for e in Enrolment.objects.filter(user__in=sharing_users)
    }
    assert len(months) >= 4
    assert Notice.objects.filter(branch=branch).count() == 1
    assert User.objects.get(email="rep@example.org").branch_memberships.get().is_sharing

    with_mfa(officer)
    client.force_login(officer)
    response = client.get(reverse("branches:dashboard", args=[branch.slug]))
    assert response.status_code == 200
    assert response.context["headcount"].sharing == sharing
    assert response.context["course_bars"]


# Real commits, so that the certificate emails go out when the transaction
# that issues them commits, as they do in `make run`.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_members_certificate_emails_stay_out_of_the_console(settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    catalogue_load()
    call_command("seed_demo")
    out = capsys.readouterr().out
    # The demo rep's own certificate email is printed, as any email in
    # development is; the thirty-odd members' are not, and the command's own
    # lines still are.
    assert out.count("Subject: [Knowhow] Your certificate") == 1
    assert "Demo branch       Northshire Health Branch" in out
    assert Certificate.objects.exclude(user__email="rep@example.org").count() >= 5
