"""The officer's view of course runs (issue #17 item 5): who is booked on
what, with attendance and completion, on the dashboard and in a
formula-safe, audited export of their own branch only."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from branches.applications import application_apply, application_approve
from courses.runs.services import application_confirm, attendance_record
from tests.factories.branches import make_branch, make_member, make_officer

pytestmark = pytest.mark.django_db


def place(run, branch, officer, tutor, user):
    application = application_apply(user=user, run=run, branch=branch)
    application_approve(application=application, by=officer)
    return application_confirm(application=application, by=tutor)


@pytest.fixture
def held(run, branch, officer, tutor, member):
    application = place(run, branch, officer, tutor, member)
    for session in run.sessions.all():
        session.starts_at -= datetime.timedelta(days=60)
        session.ends_at -= datetime.timedelta(days=60)
        session.save()
    first, second = run.sessions.order_by("starts_at")
    attendance_record(session=first, present_ids={application.pk}, by=tutor)
    return application


def test_the_dashboard_shows_attendance_and_completion(client, branch, officer, held):
    client.force_login(officer)
    response = client.get(reverse("branches:dashboard", args=[branch.slug]))
    (row,) = response.context["applications"]["booked"]
    assert row.pk == held.pk
    assert (row.sessions_attended, row.sessions_total, row.completed_at) == (1, 2, None)
    assert "1 of 2" in response.content.decode()


def test_the_export_is_own_branch_formula_safe_and_audited(
    client, run, branch, officer, tutor, held
):
    hostile = make_member(branch, display_name='=HYPERLINK("http://evil")').user
    place(run, branch, officer, tutor, hostile)
    other = make_branch("Elsewhere")
    other_officer = make_officer(other)
    outsider = make_member(other, display_name="Other Branch Person").user
    place(run, other, other_officer, tutor, outsider)

    client.force_login(officer)
    response = client.get(reverse("branches:run_places_csv", args=[branch.slug]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:5] == ["Name", "Course", "Run", "Kind", "Status"]
    names = sorted(r[0] for r in rows[1:])
    assert names == sorted(["Rita Rep", '\'=HYPERLINK("http://evil")'])
    rita = next(r for r in rows[1:] if r[0] == "Rita Rep")
    assert rita[7:9] == ["1", "2"]
    assert "Other Branch Person" not in body
    entry = ModelLogEntry.objects.filter(action="knowhow.branch.export").get()
    assert entry.user_id == officer.pk
    assert entry.data == {"format": "csv", "table": "run_places"}


def test_only_the_branch_officers_may_export(client, branch, held, member):
    url = reverse("branches:run_places_csv", args=[branch.slug])
    client.force_login(member)
    assert client.get(url).status_code == 404
    client.force_login(make_officer(make_branch("Elsewhere")))
    assert client.get(url).status_code == 404
    assert not ModelLogEntry.objects.filter(action="knowhow.branch.export").exists()
