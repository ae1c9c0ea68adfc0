"""Racing decisions on PostgreSQL (issue #17): the last place goes to one
person, and one application is decided once."""

import pytest
from django.db import connection

from branches.applications import application_apply, application_approve
from courses.runs.models import RunApplication
from courses.runs.services import ApplicationRefused, application_confirm, application_withdraw
from tests.concurrency import run_at_once
from tests.factories.branches import make_member, make_officer

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
    ),
]


def approved(run, branch, officer, n):
    out = []
    for _ in range(n):
        user = make_member(branch).user
        application = application_apply(user=user, run=run, branch=branch)
        out.append(application_approve(application=application, by=officer))
    return out


def test_two_confirmations_for_the_last_place_give_one_place(run, branch, officer, tutor):
    first, *rivals = approved(run, branch, officer, 3)
    application_confirm(application=first, by=tutor)  # one of the two places taken
    results = run_at_once(lambda a: application_confirm(application=a, by=tutor), rivals)
    assert sorted(r.status for r in results) == ["confirmed", "waiting"]
    assert RunApplication.objects.filter(run=run, status="confirmed").count() == 2


def test_ten_confirmations_at_once_never_overfill_the_run(run, branch, officer, tutor):
    applications = approved(run, branch, officer, 10)
    run_at_once(lambda a: application_confirm(application=a, by=tutor), applications)
    assert RunApplication.objects.filter(run=run, status="confirmed").count() == run.places
    assert RunApplication.objects.filter(run=run, status="waiting").count() == 8


def test_two_officers_approving_at_once_approve_once(run, branch, officer):
    second = make_officer(branch)
    application = application_apply(user=make_member(branch).user, run=run, branch=branch)
    results = run_at_once(
        lambda by: application_approve(application=application, by=by),
        [officer, second],
        expected=(ApplicationRefused,),
    )
    assert sum(isinstance(r, ApplicationRefused) for r in results) == 1
    application.refresh_from_db()
    assert application.status == "branch_approved"


def test_a_withdrawal_racing_a_confirmation_leaves_the_run_consistent(run, branch, officer, tutor):
    confirmed = approved(run, branch, officer, 2)
    for application in confirmed:
        application_confirm(application=application, by=tutor)
    (waiting,) = approved(run, branch, officer, 1)
    application_confirm(application=waiting, by=tutor)
    (newcomer,) = approved(run, branch, officer, 1)
    leaver = confirmed[0]
    run_at_once(
        lambda job: job(),
        [
            lambda: application_withdraw(application=leaver, by=leaver.user),
            lambda: application_confirm(application=newcomer, by=tutor),
        ],
    )
    assert RunApplication.objects.filter(run=run, status="confirmed").count() == 2
    waiting.refresh_from_db()
    newcomer.refresh_from_db()
    # In either order the freed place goes to whoever joined the waiting list
    # first, and the newcomer waits behind them.
    assert (waiting.status, newcomer.status) == ("confirmed", "waiting")
