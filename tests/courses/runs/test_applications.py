"""Applications for course runs: apply, branch decision, place confirmed or
waiting, withdrawal and the waiting list; states enforced on the server,
each move audited and emailed, and only the rep's own branch officers see an
application (issue #17 item 2)."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from branches.applications import application_apply, application_approve, application_decline
from courses.runs.models import RunApplication, RunStatus
from courses.runs.services import ApplicationRefused, application_confirm, application_withdraw
from tests.factories import UserFactory
from tests.factories.branches import make_branch, make_member, make_officer
from tests.factories.runs import make_run

pytestmark = pytest.mark.django_db

A = RunApplication


def actions(application):
    return list(
        ModelLogEntry.objects.for_instance(application)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


def apply(user, run, branch, note=""):
    return application_apply(user=user, run=run, branch=branch, note=note)


def approved(user, run, branch, officer):
    return application_approve(application=apply(user, run, branch), by=officer)


# The whole flow through the pages -----------------------------------------------


def test_apply_approve_confirm_through_the_pages(client, run, branch, officer, member, tutor):
    client.force_login(member)
    page = client.get(reverse("runs:run", args=[run.pk]))
    assert page.status_code == 200
    assert page.context["may_apply"] is True
    assert "meet.example.org" not in page.content.decode()

    apply_url = reverse("run_apply", args=[run.pk])
    assert client.get(apply_url).status_code == 200
    mail.outbox.clear()
    response = client.post(
        apply_url,
        {"branch": str(branch.pk), "note": "I am our new data rep.", "status": "confirmed"},
    )
    assert response.status_code == 302
    application = A.objects.get()
    # The status posted alongside was ignored (AC-05).
    assert (application.status, application.user, application.branch) == ("applied", member, branch)
    assert application.note == "I am our new data rep."
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert "Spring online cohort" in mail.outbox[0].body
    assert "I am our new data rep." not in mail.outbox[0].body

    # The rep's dashboard shows it.
    dashboard = client.get("/dashboard/")
    assert [a.pk for a in dashboard.context["run_applications"]] == [application.pk]

    client.force_login(officer)
    board = client.get(reverse("branches:dashboard", args=[branch.slug]))
    assert [a.pk for a in board.context["applications"]["awaiting"]] == [application.pk]
    decide = reverse("branches:application", args=[branch.slug, application.pk])
    detail = client.get(decide)
    assert detail.status_code == 200
    assert "I am our new data rep." in detail.content.decode()
    mail.outbox.clear()
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    application.refresh_from_db()
    assert application.status == "branch_approved"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, tutor.email])

    client.force_login(tutor)
    manage = client.get(reverse("runs:manage", args=[run.pk]))
    assert [a.pk for a in manage.context["by_status"]["branch_approved"]] == [application.pk]
    mail.outbox.clear()
    assert client.post(reverse("runs:confirm", args=[application.pk])).status_code == 302
    application.refresh_from_db()
    assert application.status == "confirmed"
    assert application.confirmed_at is not None
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert actions(application) == [
        "knowhow.run.apply",
        "knowhow.run.approve",
        "knowhow.run.confirm",
    ]

    # Now the rep sees the online link, in the page and in the calendar file.
    client.force_login(member)
    page = client.get(reverse("runs:run", args=[run.pk]))
    assert "https://meet.example.org/room-1" in page.content.decode()
    assert page.context["places_left"] == 1
    ics = client.get(reverse("runs:run_ics", args=[run.pk])).content.decode()
    assert "URL:https://meet.example.org/room-1" in ics
    # And the course page counts the place.
    course_page = client.get(run.course.url)
    assert course_page.context["runs"][0].places_left == 1


def test_the_log_holds_no_note_or_reason_text(run, branch, officer, member):
    application = apply(member, run, branch, note="Secret note text")
    application_decline(application=application, by=officer, reason="Reason text here")
    data = " ".join(str(e.data) for e in ModelLogEntry.objects.for_instance(application))
    assert "Secret note" not in data and "Reason text" not in data
    assert actions(application) == ["knowhow.run.apply", "knowhow.run.decline"]


# Applying --------------------------------------------------------------------------


def test_the_apply_form_refuses_another_branch_and_writes_nothing(client, run, member):
    other = make_branch("Elsewhere")
    client.force_login(member)
    response = client.post(reverse("run_apply", args=[run.pk]), {"branch": str(other.pk)})
    assert response.status_code == 200
    assert "Select one of your own branches" in response.content.decode()
    assert response.context["form"].errors
    assert not A.objects.exists()


@pytest.mark.parametrize(
    "note",
    ["x" * 1001, "nul \x00 here"],
)
def test_hostile_notes_are_refused_cleanly(client, run, branch, member, note):
    client.force_login(member)
    response = client.post(reverse("run_apply", args=[run.pk]), {"branch": branch.pk, "note": note})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not A.objects.exists()


def test_script_in_a_note_is_shown_as_text(client, run, branch, officer, member):
    application = apply(member, run, branch, note="<script>alert(1)</script>")
    client.force_login(officer)
    html = client.get(reverse("branches:application", args=[branch.slug, application.pk]))
    assert "<script>alert(1)</script>" not in html.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.content.decode()


def test_apply_needs_a_branch(client, run, rep):
    client.force_login(rep)
    response = client.get(reverse("run_apply", args=[run.pk]))
    assert "Join a branch first" in response.content.decode()
    assert client.post(reverse("run_apply", args=[run.pk]), {}).status_code == 200
    assert not A.objects.exists()


def test_no_second_open_application_for_the_same_run(run, branch, member):
    apply(member, run, branch)
    with pytest.raises(ApplicationRefused, match="already applied"):
        apply(member, run, branch)
    assert A.objects.count() == 1


def test_a_withdrawn_rep_may_apply_again(run, branch, member):
    application_withdraw(application=apply(member, run, branch), by=member)
    apply(member, run, branch)
    assert sorted(A.objects.values_list("status", flat=True)) == ["applied", "withdrawn"]


def test_closed_and_unpublished_runs_take_no_applications(course, branch, member, client):
    import datetime

    closed = make_run(
        course, starts_in=datetime.timedelta(days=3), closes_before=datetime.timedelta(days=5)
    )
    with pytest.raises(ApplicationRefused, match="closed"):
        apply(member, closed, branch)
    draft = make_run(course, status=RunStatus.DRAFT)
    with pytest.raises(ApplicationRefused, match="not open"):
        apply(member, draft, branch)
    client.force_login(member)
    assert client.get(reverse("run_apply", args=[draft.pk])).status_code == 404
    assert client.get(reverse("runs:run", args=[draft.pk])).status_code == 404
    assert (
        client.post(reverse("run_apply", args=[closed.pk]), {"branch": branch.pk}).status_code
        == 302
    )
    assert not A.objects.exists()


# Who sees an application (AC-02) ---------------------------------------------------------


def test_only_the_reps_own_branch_officers_see_the_application(
    client, run, branch, officer, member
):
    application = apply(member, run, branch)
    url = reverse("branches:application", args=[branch.slug, application.pk])
    other_branch = make_branch("Bradford Council")
    other_officer = make_officer(other_branch)
    client.force_login(other_officer)
    assert client.get(url).status_code == 404
    # Nor through their own branch's address.
    assert (
        client.get(
            reverse("branches:application", args=[other_branch.slug, application.pk])
        ).status_code
        == 404
    )
    assert client.post(url, {"decision": "approve"}).status_code == 404
    board = client.get(reverse("branches:dashboard", args=[other_branch.slug]))
    assert board.context["applications"] == {"awaiting": [], "booked": []}
    # A rep, even a member of the branch, is not an officer.
    client.force_login(make_member(branch).user)
    assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(url).status_code == 200
    application.refresh_from_db()
    assert application.status == "applied"


def test_an_officer_of_another_branch_cannot_decide_in_the_service(run, branch, member):
    application = apply(member, run, branch)
    stranger = make_officer(make_branch("Elsewhere"))
    with pytest.raises(ApplicationRefused):
        application_approve(application=application, by=stranger)
    application.refresh_from_db()
    assert application.status == "applied"


def test_a_rep_who_leaves_the_branch_drops_out_of_its_view(client, run, branch, officer, member):
    from branches.models import Membership
    from branches.services import membership_leave

    application = apply(member, run, branch)
    membership_leave(membership=Membership.objects.get(user=member, branch=branch))
    client.force_login(officer)
    assert (
        client.get(reverse("branches:application", args=[branch.slug, application.pk])).status_code
        == 404
    )


# The states -------------------------------------------------------------------------------


def test_declining_needs_a_reason_and_tells_the_rep(client, run, branch, officer, member):
    application = apply(member, run, branch)
    client.force_login(officer)
    url = reverse("branches:application", args=[branch.slug, application.pk])
    response = client.post(url, {"decision": "decline", "reason": "  "})
    assert response.status_code == 200
    assert "Give the reason for declining" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "applied"
    mail.outbox.clear()
    client.post(url, {"decision": "decline", "reason": "No budget left this year."})
    application.refresh_from_db()
    assert (application.status, application.reason) == ("declined", "No budget left this year.")
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "No budget left this year." in mail.outbox[0].body
    client.force_login(member)
    assert (
        "No budget left this year."
        in client.get(reverse("runs:run", args=[run.pk])).content.decode()
    )


def test_moves_out_of_order_are_refused(run, branch, officer, member, tutor):
    application = apply(member, run, branch)
    with pytest.raises(ApplicationRefused):
        application_confirm(application=application, by=tutor)
    application_approve(application=application, by=officer)
    with pytest.raises(ApplicationRefused):
        application_approve(application=application, by=officer)
    with pytest.raises(ApplicationRefused):
        application_decline(application=application, by=officer, reason="Too late")
    application.refresh_from_db()
    assert application.status == "branch_approved"
    assert actions(application) == ["knowhow.run.apply", "knowhow.run.approve"]


def test_reps_and_other_tutors_cannot_confirm(client, run, branch, officer, member):
    application = approved(member, run, branch, officer)
    client.force_login(member)
    assert client.post(reverse("runs:confirm", args=[application.pk])).status_code == 404
    assert client.get(reverse("runs:manage", args=[run.pk])).status_code == 404
    other = UserFactory()
    client.force_login(other)
    assert client.post(reverse("runs:confirm", args=[application.pk])).status_code == 404
    with pytest.raises(ApplicationRefused):
        application_confirm(application=application, by=member)
    application.refresh_from_db()
    assert application.status == "branch_approved"


def test_a_full_run_puts_people_on_the_waiting_list_and_fills_freed_places_in_order(
    run, branch, officer, tutor
):
    people = [make_member(branch).user for _ in range(4)]
    applications = [approved(person, run, branch, officer) for person in people]
    results = [application_confirm(application=a, by=tutor).status for a in applications]
    assert results == ["confirmed", "confirmed", "waiting", "waiting"]
    third, fourth = applications[2], applications[3]
    mail.outbox.clear()
    application_withdraw(application=applications[0], by=people[0])
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (third.status, fourth.status) == ("confirmed", "waiting")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([tutor.email, people[2].email])
    assert actions(third)[-1] == "knowhow.run.promote"
    # Someone waiting who withdraws frees nothing and promotes nobody.
    application_withdraw(application=fourth, by=people[3])
    assert A.objects.filter(run=run, status="confirmed").count() == 2


def test_someone_else_cannot_withdraw_an_application(client, run, branch, member):
    application = apply(member, run, branch)
    other = make_member(branch).user
    client.force_login(other)
    assert client.post(reverse("runs:withdraw", args=[application.pk])).status_code == 404
    with pytest.raises(ApplicationRefused):
        application_withdraw(application=application, by=other)
    application.refresh_from_db()
    assert application.status == "applied"


def test_withdraw_through_the_page(client, run, branch, member):
    application = apply(member, run, branch)
    client.force_login(member)
    assert client.get(reverse("runs:withdraw", args=[application.pk])).status_code == 405
    assert client.post(reverse("runs:withdraw", args=[application.pk])).status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"
    assert application.closed_at is not None


def test_branch_dashboard_queries_do_not_grow_with_applications(
    client, run, branch, officer, tutor
):
    client.force_login(officer)
    url = reverse("branches:dashboard", args=[branch.slug])
    approved(make_member(branch).user, run, branch, officer)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _ in range(6):
        application = approved(make_member(branch).user, run, branch, officer)
        application_confirm(application=application, by=tutor)
        apply(make_member(branch).user, run, branch)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(large) == len(small)
    assert len(response.context["applications"]["awaiting"]) == 6
    assert len(response.context["applications"]["booked"]) == 7


def test_free_places_go_to_the_waiting_list_in_order_at_the_tutors_word(
    client, run, branch, officer, tutor, member
):
    people = [make_member(branch).user for _ in range(4)]
    applications = [approved(person, run, branch, officer) for person in people]
    for application in applications:
        application_confirm(application=application, by=tutor)
    url = reverse("runs:fill_waiting_list", args=[run.pk])
    client.force_login(member)
    assert client.post(url).status_code == 404
    run.places = 3  # the educator raised the places in the admin
    run.save()
    client.force_login(tutor)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    statuses = [A.objects.get(pk=a.pk).status for a in applications]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waiting"]
    assert actions(applications[2])[-1] == "knowhow.run.promote"
