"""Cancelling a run: every open application is closed, each applicant is
told once, and the run's page says so to them and to no one else."""

import pytest
from django.core import mail
from wagtail.models import ModelLogEntry

from branches.applications import application_apply, application_approve, application_decline
from courses.runs.models import ApplicationStatus as S
from courses.runs.models import RunApplication, RunStatus
from courses.runs.services import application_confirm, application_withdraw, run_cancel
from tests.courses.runs.test_runs import DAY, educator_client, run_form  # noqa: F401
from tests.factories import UserFactory
from tests.factories.branches import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicants(run, branch, officer, tutor):
    """One application in each state: the run has two places."""

    def rep(name):
        user = UserFactory(email=f"{name}@example.org")
        make_member(branch, user=user, shares=False)
        return application_apply(user=user, run=run, branch=branch)

    applied = rep("applied")
    approved = application_approve(application=rep("approved"), by=officer)
    confirmed = [
        application_confirm(
            application=application_approve(application=rep(name), by=officer), by=tutor
        )
        for name in ("first", "second")
    ]
    waiting = application_confirm(
        application=application_approve(application=rep("waiting"), by=officer), by=tutor
    )
    declined = application_decline(application=rep("declined"), by=officer, reason="Full up")
    leaving = rep("withdrawn")
    withdrawn = application_withdraw(application=leaving, by=leaving.user)
    assert waiting.status == S.WAITING
    return {
        "applied": applied,
        "approved": approved,
        "confirmed": confirmed,
        "waiting": waiting,
        "declined": declined,
        "withdrawn": withdrawn,
    }


def test_cancelling_closes_every_open_application_and_tells_each_applicant_once(
    run, applicants, educator
):
    mail.outbox.clear()
    closed = run_cancel(run=run, by=educator)

    open_ones = {"applied@example.org", "approved@example.org", "first@example.org"}
    open_ones |= {"second@example.org", "waiting@example.org"}
    assert {a.user.email for a in closed} == open_ones
    statuses = dict(RunApplication.objects.values_list("user__email", "status"))
    assert {email for email, status in statuses.items() if status == S.RUN_CANCELLED} == open_ones
    assert statuses["declined@example.org"] == S.DECLINED
    assert statuses["withdrawn@example.org"] == S.WITHDRAWN
    assert all(a.closed_at for a in RunApplication.objects.filter(status=S.RUN_CANCELLED))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(open_ones)
    assert all(run.title in m.subject and "cancelled" in m.subject for m in mail.outbox)
    assert ModelLogEntry.objects.filter(action="knowhow.run.cancel").count() == 5
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED

    # Again: nothing more to close, nobody emailed twice.
    mail.outbox.clear()
    assert run_cancel(run=run, by=educator) == []
    assert mail.outbox == []


def test_cancelling_in_the_admin_closes_the_applications(educator_client, run, applicants):  # noqa: F811
    url = f"/admin/course_runs/edit/{run.pk}/"
    page = educator_client.get(url)
    assert page.status_code == 200
    session = run.sessions.order_by("starts_at").first()
    data = run_form(
        run.course,
        run.tutor,
        sessions=[
            {
                "id": str(s.pk),
                "starts_at": s.starts_at.strftime("%Y-%m-%d %H:%M"),
                "ends_at": s.ends_at.strftime("%Y-%m-%d %H:%M"),
                "online_url": s.online_url,
                "venue": s.venue,
            }
            for s in run.sessions.order_by("sort_order")
        ],
        title=run.title,
        kind=run.kind,
        places=str(run.places),
        applications_close_at=run.applications_close_at.strftime("%Y-%m-%d %H:%M"),
        status=RunStatus.CANCELLED,
    )
    data["sessions-INITIAL_FORMS"] = str(run.sessions.count())
    assert session is not None
    response = educator_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    assert not RunApplication.objects.filter(
        status__in=[S.APPLIED, S.BRANCH_APPROVED, S.CONFIRMED, S.WAITING]
    ).exists()


def test_the_page_of_a_cancelled_run_tells_its_applicants_and_no_one_else(
    client, run, applicants, educator
):
    run_cancel(run=run, by=educator)
    client.force_login(applicants["confirmed"][0].user)
    page = client.get(f"/runs/{run.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "This run has been cancelled" in html
    assert "The run was cancelled" in html  # their application's state
    assert "Withdraw my application" not in html
    assert "Apply" not in html.split("This run has been cancelled")[1].split("</main>")[0]

    client.force_login(UserFactory())
    assert client.get(f"/runs/{run.pk}/").status_code == 404
